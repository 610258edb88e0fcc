// The engines under test: where each one's benchmark page is and which of its served files count as its download.
// canSync: has a built-in upload to a server (measured); hasHeap: has a wasm heap (measured);
// hasDownload: false only for the floor, whose page loads no file of its own; staffPage: a staff device's page (bench/measure.mjs).

export const ENGINES = [
  {
    id: 'lead-outbox',
    label: 'lead-outbox',
    page: '/bench/pages/lead-outbox.html',
    staffPage: '/bench/pages/lead-outbox-staff.html',
    ownsFile: (path) => path.startsWith('/web/'),
    canSync: true,
    hasHeap: true,
  },
  {
    id: 'pglite',
    label: 'PGlite 0.5.16',
    page: '/bench/pages/pglite.html',
    ownsFile: (path) => path.startsWith('/pglite/'),
    canSync: false, // PGlite has no built-in upload to a server
    hasHeap: true,
  },
  {
    // The floor: what the browser itself allows. No engine, no wasm, no download of its own.
    id: 'floor',
    label: 'IndexedDB (floor)',
    page: '/bench/pages/floor.html',
    ownsFile: () => false,
    hasDownload: false,
    canSync: false,
    hasHeap: false,
  },
  {
    id: 'dexie',
    label: 'Dexie 4.4.7',
    page: '/bench/pages/dexie.html',
    ownsFile: (path) => path.startsWith('/dexie/'),
    canSync: false,
    hasHeap: false,
  },
  {
    id: 'wa-sqlite',
    label: 'wa-sqlite 1.0.0 (IDBBatchAtomicVFS)',
    page: '/bench/pages/wa-sqlite.html',
    ownsFile: (path) => path.startsWith('/wa-sqlite/'),
    canSync: false,
    hasHeap: true,
  },
];
