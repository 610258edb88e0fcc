// The pending-count marker (web/src/storage.js): read through the Cookie Store API where there is one, and what the store's status makes of it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readMarker, watchStorage } from '../../web/src/storage.js';

afterEach(() => {
  delete globalThis.cookieStore;
});

test('readMarker reads the marker through the Cookie Store API, and answers null where there is none or it refuses', async () => {
  assert.equal(await readMarker('acme'), null, 'no Cookie Store API (Node, older engines): watchStorage reads document.cookie');
  const asked = [];
  const values = { 'lead-outbox.pending.acme': '3', 'lead-outbox.pending.odd': 'x3', 'lead-outbox.pending.neg': '-2' };
  globalThis.cookieStore = {
    get: async (name) => {
      asked.push(name);
      return name in values ? { name, value: values[name] } : null;
    },
  };
  assert.equal(await readMarker('acme'), 3);
  assert.equal(await readMarker('none'), 0, 'no marker');
  assert.equal(await readMarker('odd'), 0, 'a value that is not a count is not trusted');
  assert.equal(await readMarker('neg'), 0);
  assert.deepEqual(asked, ['lead-outbox.pending.acme', 'lead-outbox.pending.none', 'lead-outbox.pending.odd', 'lead-outbox.pending.neg']);
  globalThis.cookieStore = { get: async () => { throw new DOMException('opaque origin', 'SecurityError'); } };
  assert.equal(await readMarker('acme'), null);
});

test('watchStorage reports the pending leads the marker counted as lost when the outbox opened empty', () => {
  const statuses = [];
  const watch = (expected, counts) => watchStorage('acme', {
    persistentStorage: 'never', counts: () => counts, onStatus: () => () => {}, set: (s) => statuses.push(s), expected,
  });
  watch(2, { pending: 0, stored: 0 })();
  assert.equal(statuses.at(-1).lostPending, 2, 'storage was cleared under two pending leads');
  watch(2, { pending: 2, stored: 2 })();
  assert.equal(statuses.at(-1).lostPending, 0, 'the outbox still holds them');
  watch(null, { pending: 0, stored: 0 })();
  assert.equal(statuses.at(-1).lostPending, 0, 'null: read from document.cookie (none in Node)');
});

// A document whose cookie accessors record what the store did (and may throw, as a sandboxed frame's do).
function fakeDocument({ cookie = '', throws = false } = {}) {
  const log = [];
  globalThis.document = {
    get cookie() {
      log.push('read');
      if (throws) throw new DOMException('sandboxed', 'SecurityError');
      return cookie;
    },
    set cookie(value) {
      log.push(`write ${value.split(';')[0]}`);
      if (throws) throw new DOMException('sandboxed', 'SecurityError');
    },
  };
  return log;
}

test('watchStorage writes the marker only when the pending count differs from the one it holds', (t) => {
  t.after(() => delete globalThis.document);
  const watch = (expected, pending) => watchStorage('acme', {
    persistentStorage: 'never', counts: () => ({ pending, stored: pending }), onStatus: () => () => {}, set: () => {}, expected,
  })();
  let log = fakeDocument();
  watch(0, 0);
  assert.deepEqual(log, [], 'a first visit (no marker, nothing pending) neither reads nor writes a cookie');
  log = fakeDocument();
  watch(3, 3);
  assert.deepEqual(log, [], 'the marker already says 3');
  log = fakeDocument();
  watch(2, 3);
  assert.deepEqual(log, ['write lead-outbox.pending.acme=3']);
  log = fakeDocument({ cookie: 'a=1; lead-outbox.pending.acme=3' });
  watch(null, 3);
  assert.deepEqual(log, ['read'], 'no Cookie Store API: read from document.cookie, and it holds 3');
  log = fakeDocument({ cookie: 'lead-outbox.pending.acme=3' });
  watch(null, 0);
  assert.deepEqual(log, ['read', 'write lead-outbox.pending.acme='], 'none pending: the marker is removed');
});

test('watchStorage works in a document that refuses cookies', (t) => {
  t.after(() => delete globalThis.document);
  const statuses = [];
  const log = fakeDocument({ throws: true });
  watchStorage('acme', {
    persistentStorage: 'never', counts: () => ({ pending: 1, stored: 1 }), onStatus: () => () => {}, set: (s) => statuses.push(s), expected: null,
  })();
  assert.deepEqual(log, ['read', 'write lead-outbox.pending.acme=1']);
  assert.equal(statuses.at(-1).lostPending, 0);
});

// Timers a test steps through by hand: {now, setTimeout, clearTimeout, advance(ms)}.
function manualTimers() {
  let now = 0;
  let next = 1;
  const due = new Map(); // handle → {at, fn}
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (handle) => due.delete(handle),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const [handle, t] = [...due].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!t) break;
        due.delete(handle);
        now = t.at;
        t.fn();
      }
      now = end;
    },
  };
}

test('watchStorage writes a burst of pending counts as one cookie write after the first, and at once when the page is hidden', (t) => {
  const log = fakeDocument();
  const events = new Map();
  const on = (target) => Object.assign(target, {
    addEventListener: (type, fn) => events.set(type, fn),
    removeEventListener: (type) => events.delete(type),
  });
  on(globalThis.document).visibilityState = 'visible';
  globalThis.window = on({});
  t.after(() => {
    delete globalThis.document;
    delete globalThis.window;
  });
  const timers = manualTimers();
  let tell;
  const stop = watchStorage('acme', {
    persistentStorage: 'never', counts: () => ({ pending: 0, stored: 0 }), set: () => {}, expected: 0, timers,
    onStatus: (listener) => { tell = listener; return () => {}; },
  });
  tell({ pending: 1 });
  assert.deepEqual(log, [], 'never in the submit\'s own task');
  timers.advance(0);
  assert.deepEqual(log, ['write lead-outbox.pending.acme=1'], 'the first change: one task later');
  for (const pending of [2, 3, 4]) {
    timers.advance(2);
    tell({ pending });
    timers.advance(0);
  }
  assert.deepEqual(log, ['write lead-outbox.pending.acme=1'], 'the burst waits: no write beside its submits');
  timers.advance(500);
  assert.deepEqual(log.slice(1), ['write lead-outbox.pending.acme=4'], 'then one write, with the last count');
  timers.advance(100);
  tell({ pending: 5 });
  globalThis.document.visibilityState = 'hidden';
  events.get('visibilitychange')();
  assert.deepEqual(log.slice(2), ['write lead-outbox.pending.acme=5'], 'hidden: written at once');
  timers.advance(1000);
  assert.equal(log.length, 3, 'and not again');
  tell({ pending: 4 });
  events.get('pagehide')();
  assert.deepEqual(log.slice(3), ['write lead-outbox.pending.acme=4'], 'left: written at once');
  tell({ pending: 3 });
  stop();
  assert.deepEqual(log.slice(4), ['write lead-outbox.pending.acme=3'], 'closed: written at once');
  assert.deepEqual([...events.keys()], [], 'and its page listeners are gone');
});
