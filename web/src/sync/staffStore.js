// StaffStore: the staff half of a LeadStore (replica queries, live queries, staff edits, the feed and its cross-tab state), in the staff chunk so a visitor's page never downloads it.
//
// LeadStore (store.js) keeps the public methods and checks (open, flavor) and calls in here;
// `host` is its inside, passed in since this chunk may copy only stateless modules (errors.js
// stays the bundle's): {api, env, tenantId, options(), closed(), status(), set(patch),
// refresh(), commit(write, options, tables), post(message), heard(), unwrap(answer),
// invalidArgument(message), requestErrors, randomUuid()}.
import { FeedStates } from '../protocol.js';
import { startFeed } from '../feed.js';
import { FeedHolder } from './feedHolder.js';
import { startEditUploads } from './editUploader.js';

// Commits that erase personal data: saved as whole groups (Volume#commit).
const SCRUB = { scrub: true };
// Commits a person is told are saved: flushed to disk before they resolve (Volume#commit).
const FLUSH = { flush: true };
const REPLICA_TABLES = ['replica_leads'];
// A staff edit's commits change the shown lead and the edit queue.
const EDIT_TABLES = ['replica_leads', 'edits'];
// A feed page without changes (a long-poll that timed out) moves only the feed's state.
const FEED_STATE_ONLY = [];
// Cross-tab message: a tab opened, and the holder answers with its state.
const FEED_QUERY = 'feed?';

export class StaffStore {
  #host;
  #live = new Set(); // live queries: {sql, params, listener, tables}
  #feedLockName;
  #feed = null; // this tab's FeedHolder (startFeed)
  #watch = null; // AbortController of the request that notices the holder is gone (#watchHolder)
  #edits = null; // this tab's edit uploads while it holds the feed ({kick, stop}, sync/editUploader.js)

  constructor(host) {
    this.#host = host;
    this.#feedLockName = `lead-outbox-feed:${host.tenantId}`;
  }

  async editLead(leadId, changes) {
    const h = this.#host;
    const { status, owner, followUp, addTags, removeTags, note, author = h.options().staffId } = changes ?? {};
    if (typeof author !== 'string' || !author) {
      throw h.invalidArgument('An edit needs its author: pass staffId to getStore (or changes.author).');
    }
    const set = Object.fromEntries(Object.entries({ status, owner, followUp }).filter(([, v]) => v !== undefined));
    // `device`: a fresh id, taken only by an author new to this store (a shared profile: the
    // server binds a device id to one staff member, so each has their own).
    const edit = { leadId, author, device: `d-${h.randomUuid()}`, ...(Object.keys(set).length ? { set } : {}), addTags, removeTags, note };
    const queued = await h.commit(() => h.unwrap(h.api.submitEdit(JSON.stringify(edit), h.env.now())), FLUSH, EDIT_TABLES);
    h.refresh();
    this.#edits?.kick();
    return queued;
  }

  listEdits() {
    return this.#host.unwrap(this.#host.api.listEdits());
  }

  async dismissEdit(mutationId) {
    const h = this.#host;
    await h.commit(() => h.unwrap(h.api.dismissEdit(mutationId)), undefined, EDIT_TABLES);
    h.refresh();
  }

  // REQUIRES: the store is open (LeadStore#query checks).
  query(sql, params) {
    return this.#host.unwrap(this.#host.api.query(String(sql), JSON.stringify(params ?? [])));
  }

  // `first`: the query's first answer (LeadStore#live ran it, with its checks).
  live(sql, params, listener, first) {
    const entry = { sql, params, listener, tables: first.tables };
    this.#live.add(entry);
    this.#rerun(entry);
    return () => this.#live.delete(entry);
  }

  startFeed({ url, editsUrl, getToken, online, ...overrides }) {
    const h = this.#host;
    const env = { ...h.env, isOnline: online ?? h.env.isOnline };
    for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
    const previous = this.stopFeed();
    const holder = new FeedHolder({
      locks: env.locks,
      lockName: this.#feedLockName,
      after: previous,
      shouldLead: () => !h.closed(),
      // Runs while this tab holds the feed: until stopFeed/close releases it.
      startLoop: () => {
        const stopEdits = this.#uploadEdits(editsUrl, getToken, env);
        const stopFeedLoop = this.#followFeed(url, getToken, env, holder);
        return async () => {
          await stopFeedLoop();
          await stopEdits();
        };
      },
    });
    this.#feed = holder;
  }

  // This tab's edit uploads while it holds the feed (none without editsUrl); returns stop.
  #uploadEdits(editsUrl, getToken, env) {
    if (!editsUrl) return async () => {};
    const h = this.#host;
    const o = h.options();
    const edits = startEditUploads({
      url: editsUrl, getToken, ...env,
      fetch: env.fetch ?? o.fetch ?? globalThis.fetch,
      retryBaseMs: o.retryBaseMs,
      retryCapMs: o.retryCapMs,
      requestTimeoutMs: o.requestTimeoutMs,
      batchMaxCount: o.editBatchMaxCount,
      queue: {
        // The signed-in staff member's edits only: the token is theirs (none: the oldest edit's device).
        begin: async (max) => h.unwrap(h.api.beginEditBatch(max, o.staffId ?? '')),
        complete: async (results) => {
          const done = await h.commit(() => h.unwrap(h.api.completeEditBatch(results, h.env.now())), SCRUB, EDIT_TABLES);
          h.refresh();
          return done;
        },
      },
      onError: (error) => {
        if (h.closed()) return;
        if (error) h.set({ lastError: error });
        else if (h.requestErrors.has(h.status().lastError?.code)) h.set({ lastError: null });
      },
    });
    this.#edits = edits;
    return async () => {
      if (this.#edits === edits) this.#edits = null;
      await edits.stop();
    };
  }

  // The feed loop of this tab while it holds the feed; returns stop.
  #followFeed(url, getToken, env, holder) {
    const h = this.#host;
    return startFeed({
        url, getToken, ...env,
        store: {
          cursor: () => h.unwrap(h.api.feedState()).cursor,
          apply: async (page, from) => {
            const { changes, upToDate } = JSON.parse(page);
            const tables = changes?.length ? REPLICA_TABLES : FEED_STATE_ONLY;
            await h.commit(() => h.unwrap(h.api.applyPage(page, from, h.env.now())), SCRUB, tables);
            return { upToDate: upToDate === true };
          },
          reset: () => h.commit(() => h.unwrap(h.api.resetReplica()), SCRUB, REPLICA_TABLES),
        },
        onState: ({ state, error }) => {
          if (h.closed() || this.#feed !== holder) return;
          this.showFeed(state, error, { announce: true });
        },
      });
  }

  async stopFeed() {
    const holder = this.#feed;
    this.#feed = null;
    // Announced before the lock goes: a tab that takes over announces after this.
    await holder?.stop(() => {
      if (!this.#host.closed()) this.showFeed(FeedStates.OFF, null, { announce: true });
    });
  }

  async signOut() {
    const h = this.#host;
    h.post({ type: 'stop-feed' });
    await this.stopFeed();
    const erase = () => h.commit(() => h.unwrap(h.api.resetReplica()), SCRUB, REPLICA_TABLES);
    await (h.env.locks ? h.env.locks.request(this.#feedLockName, erase) : erase());
    this.showFeed(FeedStates.OFF, null, { announce: true });
  }

  // After LeadStore#close set closed: no more watching for the holder.
  close() {
    this.#watch?.abort();
  }

  // Another tab may have queued an edit: this tab uploads them (while it holds the feed).
  kick() {
    this.#edits?.kick();
  }

  // Re-runs the live queries that read one of `tables` (null: all, after another tab's commit),
  // and reads the feed's cursor again when the replica may have changed.
  changed(tables) {
    if (!tables || tables === REPLICA_TABLES || tables === FEED_STATE_ONLY) this.refreshFeed({});
    for (const entry of this.#live) {
      if (!tables || entry.tables.some((t) => tables.includes(t))) this.#rerun(entry);
    }
  }

  #rerun(entry) {
    let rows;
    try {
      rows = this.query(entry.sql, entry.params).rows;
    } catch (err) {
      console.error('[lead-outbox] live query failed', err);
      return;
    }
    try {
      entry.listener(rows);
    } catch (err) {
      console.error('[lead-outbox] live listener threw', err);
    }
  }

  // status.feed from the core's cursor and last change, with `feed` ({state}) and `patch`.
  refreshFeed(feed, patch = {}) {
    const h = this.#host;
    const { cursor, changedAt } = h.unwrap(h.api.feedState());
    const now = h.status().feed;
    const next = { ...now, ...feed, cursor, lastChangeAt: changedAt || null };
    const same = Object.keys(next).every((k) => next[k] === now[k]);
    h.set({ ...patch, ...(same ? {} : { feed: Object.freeze(next) }) });
  }

  // The feed's state as this tab shows it: `state` and, with an error, status.lastError.
  // `announce`: this tab holds the feed, and the other tabs show the same.
  showFeed(state, error, { announce = false } = {}) {
    this.refreshFeed({ state }, error ? { lastError: error } : {});
    if (announce) this.#host.post({ type: 'feed', state, error: error ?? null });
  }

  // A message of another tab about the feed (LeadStore#listenToOtherTabs): FEED_QUERY (a tab
  // opened: the holder answers with its state); {type: 'feed', state, error} (the tab holding
  // the feed, shown after the catch-ups heard before it, so the state never runs ahead of the
  // data); {type: 'stop-feed'} (signOut).
  heard(data) {
    const h = this.#host;
    if (data === FEED_QUERY) {
      if (this.#feed?.leading) h.post({ type: 'feed', state: h.status().feed.state, error: null });
    } else if (data?.type === 'feed') {
      if (this.#feed?.leading) return; // this tab is the source of truth
      h.heard().then(() => {
        if (h.closed() || this.#feed?.leading) return;
        this.showFeed(data.state, data.error);
        if (data.state !== FeedStates.OFF) this.#watchHolder();
      });
    } else if (data?.type === 'stop-feed') {
      this.stopFeed().catch(() => {});
    }
  }

  // This tab shows another tab's feed state: it asks for the feed's lock (shared, so it
  // never holds the feed), which comes free only when no tab holds it. A holder that ended
  // without a word (a killed tab: the browser releases its locks) so leaves 'off' in every
  // tab, not its last state. One request at a time; close() withdraws it.
  #watchHolder() {
    const h = this.#host;
    const locks = h.env.locks;
    if (!locks || this.#watch) return;
    const watch = new AbortController();
    this.#watch = watch;
    locks.request(this.#feedLockName, { mode: 'shared', signal: watch.signal }, () => {
      if (!h.closed() && !this.#feed?.leading) this.showFeed(FeedStates.OFF, null);
    }).catch(() => {}).finally(() => {
      if (this.#watch === watch) this.#watch = null;
    });
  }
}
