// lead-outbox: never lose a lead. The public entry point; importing it touches no browser global.
import { checkTenantId } from './tenant.js';
import { loadCore, unloadCore, warmUpCore, warmedUpOffThread, storeFlavor } from './core.js';
import { nextPlainTask } from './nextTask.js';
import { LeadStore, DEFAULTS, EMPTY_STATUS, loadStaffCode } from './store.js';
import { readVolume } from './volume.js';
import { readMarker } from './storage.js';

export { LeadOutboxError, ErrorCodes } from './errors.js';
export { ResultStatuses, HttpErrorCodes, FeedStates, isTenantId } from './protocol.js';
export { LeadStore, DEFAULTS, EMPTY_STATUS };
export { preloadCore, coreUrls } from './core.js';
export { createBotCheck, HONEYPOT_FIELD } from './botCheck.js';
export { captureAttribution, pageEnvironment, ATTRIBUTION_KEY, UTM_KEYS } from './attribution.js';

const stores = new Map(); // `${flavor}:${tenantId}` → Promise<LeadStore>

/**
 * The store of `tenantId`: the same store for the same tenant, another for another.
 * A later call's sync settings (a refreshed token, say) apply to that store; see
 * LeadStore#configure. Rejects with invalid_tenant for a bad id, unsupported_environment
 * where there is no IndexedDB (for example during server rendering).
 *
 * Two cores, each downloaded only when used: by default the visitor's (takes and uploads
 * leads; no replica); with `staff: true` the staff device's (uploads the leads other tabs
 * left, follows the feed, query, edits; takes no leads). A page may hold both stores of a
 * tenant: they share its stored data as two tabs do. A method the store's core lacks
 * throws unsupported_environment, naming the option to use.
 */
export function getStore(tenantId, options = {}) {
  try {
    checkTenantId(tenantId);
  } catch (err) {
    return Promise.reject(err);
  }
  const flavor = storeFlavor(options);
  const key = `${flavor}:${tenantId}`;
  const existing = stores.get(key);
  if (existing) return existing.then((s) => s.configure(options));
  // Storage is read while the wasm module loads: a reload waits for the slower of the
  // two, not for both in turn. The Worker warm-up (core.js) starts once IndexedDB has listed
  // stored records (a reload: its open needs the warm-up), at once for a staff store (its
  // empty database is made at open), and otherwise once this store is open: a visit with
  // nothing stored (a first visit, or a visitor's return who never submitted) opens nothing
  // with it, and the Worker's start, beside the database's creation and the wasm's compile,
  // made a first visit 20 ms later at 1x on 2 cores. Its first submit, seconds later, finds
  // the open path compiled.
  let warmUp;
  const warmUpAfter = flavor === 'staff' ? null : new Promise((resolve) => (warmUp = resolve));
  const files = readVolume(tenantId, (stored) => stored && warmUp?.());
  files.catch(() => {}); // its errors are the open's to report
  const marker = readMarker(tenantId);
  if (flavor === 'staff') loadStaffCode().catch(() => {}); // its download beside the wasm's; open() awaits it
  const store = loadCore({ ...options, flavor, warmUpAfter }).then(async (core) => {
    // The open waits for the warm-up only as far as it needs: a reload (stored data) for every
    // stage, since opening it runs much of SQLite for the first time; a first visit (nothing
    // stored) not here: its store creates its empty database later (LeadStore#open's warmedUp).
    const warmedUp = warmedUpOffThread(core, { stored: false });
    // No Worker (or it failed): the open path is compiled on the main thread instead, in a
    // task of its own, before the first submit or a reload's open needs it.
    warmedUp.then((ok) => ok || nextPlainTask().then(() => warmUpCore(core)))
      .catch(() => {}); // a core that cannot open says so to the store's own open
    if (await files.then(({ files: stored }) => stored.length > 0, () => false)) {
      await warmedUpOffThread(core, { stored: true });
    }
    try {
      return await new LeadStore(core, tenantId, options).open(files, { warmedUp, marker });
    } catch (err) {
      if (!err?.setAside) throw err;
      return openAfterSetAside(tenantId, { ...options, flavor }, err.setAside);
    } finally {
      warmUp?.();
    }
  });
  store.catch(() => {
    if (stores.get(key) === store) stores.delete(key); // not a newer store's entry
    files.then(({ db }) => db.close(), () => {}); // the store never took the connection
  });
  stores.set(key, store);
  return store;
}

/**
 * The stored data of `tenantId` could not be opened and was moved aside (LeadStore#open):
 * a fresh store, whose status.recovered says so while no one reloads. A core that trapped
 * is dropped first: its memory is no longer trusted, and the fresh store gets a new one.
 * (Stores of other tenants opened on the trapped one keep it until they close.)
 * `options.flavor`: the core the store was opened on.
 */
async function openAfterSetAside(tenantId, options, { at, reason, keptAs, trapped }) {
  if (trapped) unloadCore(options.flavor);
  const core = await loadCore(options);
  // keptAs null: another tab changed the data meanwhile (and may have set it aside): open what is there now.
  const recovered = keptAs && {
    at,
    reason,
    keptAs,
    message: 'The leads saved on this device could not be read. They were kept aside for the site\'s support; '
      + 'leads that had not been sent yet may be lost unless support recovers them. New leads are saved as usual.',
  };
  return new LeadStore(core, tenantId, options).open(readVolume(tenantId), { recovered });
}

/**
 * Closes every store and drops the wasm instances; the next getStore() starts afresh
 * from what IndexedDB holds (as a reload would).
 */
export async function closeAllStores() {
  const open = [...stores.values()];
  stores.clear();
  // First: a getStore() while these close gets a new instance, whose files a closing
  // store (which removes its own from memory) cannot touch.
  unloadCore();
  await Promise.all(open.map((p) => p.then((s) => s.close(), () => {})));
}

/** Shortcut: getStore(tenantId, options) then submitLead(lead). */
export async function submitLead(tenantId, lead, options) {
  return (await getStore(tenantId, options)).submitLead(lead);
}

/** Shortcut: getStore(tenantId, options) then syncPending(). */
export async function syncPending(tenantId, options) {
  return (await getStore(tenantId, options)).syncPending();
}

/** Shortcut: subscribe to a tenant's status; returns unsubscribe (works before the store is ready). */
export function onStatus(tenantId, listener, options) {
  let unsubscribe = null;
  let cancelled = false;
  getStore(tenantId, options).then(
    (s) => {
      if (!cancelled) unsubscribe = s.onStatus(listener);
    },
    () => {},
  );
  return () => {
    cancelled = true;
    unsubscribe?.();
  };
}
