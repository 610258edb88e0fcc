// The staff device's code (the staff half of a store, feed loop, feed lock, edit uploads): one module that store.js imports only for a store whose core has the replica, so a visitor's page never downloads it.
export { startFeed } from '../feed.js';
export { FeedHolder } from './feedHolder.js';
export { startEditUploads } from './editUploader.js';
export { StaffStore } from './staffStore.js';
