// captureAttribution: what a session records of the visit that brought the visitor, with the page's environment passed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureAttribution, pageEnvironment, ATTRIBUTION_KEY } from '../../web/src/attribution.js';

// A sessionStorage: a Map behind the Storage methods captureAttribution uses.
function memoryStorage(entries = {}) {
  const map = new Map(Object.entries(entries));
  return { map, getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)) };
}
const SITE = 'https://acme.example';

test('utm parameters of the landing page are kept for the session while the visitor navigates', () => {
  const session = memoryStorage();
  const landed = captureAttribution({
    location: `${SITE}/pricing?utm_source=expo&utm_medium=booth&utm_campaign=fall&utm_term=widgets&utm_content=banner&q=1`,
    referrer: 'https://search.example/',
    sessionStorage: session,
  });
  const expected = {
    utm_source: 'expo', utm_medium: 'booth', utm_campaign: 'fall', utm_term: 'widgets', utm_content: 'banner',
    referrer: 'https://search.example/', landingPath: '/pricing',
  };
  assert.deepEqual(landed, expected);
  // The next page of the site: no utm_*, the site itself as referrer.
  const later = captureAttribution({ location: { href: `${SITE}/contact` }, referrer: `${SITE}/pricing`, sessionStorage: session });
  assert.deepEqual(later, expected);
  assert.deepEqual(JSON.parse(session.map.get(ATTRIBUTION_KEY)), expected);
});

test('a client-side navigation keeps the landing record though document.referrer still names the other site', () => {
  // In a single-page app the referrer stays the one of the first load while the URL changes.
  const session = memoryStorage();
  const referrer = 'https://search.example/';
  const landed = captureAttribution({ location: `${SITE}/?utm_campaign=fall`, referrer, sessionStorage: session });
  assert.deepEqual(captureAttribution({ location: `${SITE}/contact`, referrer, sessionStorage: session }), landed);
  assert.equal(landed.landingPath, '/');
});

test('a referrer from the same origin is not recorded; the landing path has no query string', () => {
  const got = captureAttribution({ location: `${SITE}/a/b?email=ada@example.com#x`, referrer: `${SITE}/`, sessionStorage: memoryStorage() });
  assert.deepEqual(got, { landingPath: '/a/b' });
  // Another port or scheme is another origin.
  assert.equal(captureAttribution({ location: `${SITE}/`, referrer: 'https://acme.example:8443/' }).referrer, 'https://acme.example:8443/');
  assert.equal(captureAttribution({ location: `${SITE}/`, referrer: 'not a url' }).referrer, undefined);
  assert.equal(captureAttribution({ location: `${SITE}/`, referrer: 'javascript:alert(1)' }).referrer, undefined);
});

test('each part can be turned off, and off parts are not stored either', () => {
  const page = { location: `${SITE}/p?utm_source=expo`, referrer: 'https://other.example/' };
  const only = (settings) => {
    const session = memoryStorage();
    return [captureAttribution({ ...page, sessionStorage: session, settings }), session.map.get(ATTRIBUTION_KEY)];
  };
  assert.deepEqual(only({ utm: false })[0], { referrer: 'https://other.example/', landingPath: '/p' });
  assert.deepEqual(only({ referrer: false })[0], { utm_source: 'expo', landingPath: '/p' });
  assert.deepEqual(only({ landingPath: false })[0], { utm_source: 'expo', referrer: 'https://other.example/' });
  assert.equal(only({ utm: false, referrer: false, landingPath: false })[0], null);
  assert.doesNotMatch(only({ referrer: false })[1], /other\.example/);
  const [off, stored] = only(false);
  assert.equal(off, null);
  assert.equal(stored, undefined, 'attribution off writes nothing to sessionStorage');
});

test('a new campaign visit replaces the whole record; a new session starts afresh', () => {
  const session = memoryStorage();
  captureAttribution({ location: `${SITE}/?utm_source=expo&utm_term=old`, referrer: 'https://a.example/', sessionStorage: session });
  const again = captureAttribution({ location: `${SITE}/spring?utm_campaign=spring`, referrer: '', sessionStorage: session });
  assert.deepEqual(again, { utm_campaign: 'spring', landingPath: '/spring' });
  assert.deepEqual(JSON.parse(session.map.get(ATTRIBUTION_KEY)), again);
  // A new tab or browser session: its sessionStorage is empty, so this page is the landing page.
  const fresh = captureAttribution({ location: `${SITE}/about`, referrer: 'https://b.example/', sessionStorage: memoryStorage() });
  assert.deepEqual(fresh, { referrer: 'https://b.example/', landingPath: '/about' });
});

test('values are cut to their byte bounds on a code point boundary', () => {
  const long = 'é'.repeat(400); // 800 bytes
  const got = captureAttribution({
    location: `${SITE}/${'p'.repeat(3000)}?utm_source=${encodeURIComponent(long)}&utm_medium=${'m'.repeat(600)}`,
    referrer: `https://other.example/${'r'.repeat(3000)}`,
  });
  assert.equal(got.utm_source, 'é'.repeat(250));
  assert.equal(got.utm_medium, 'm'.repeat(500));
  assert.equal(Buffer.byteLength(got.referrer), 2000);
  assert.equal(got.landingPath.length, 2000);
  const emoji = captureAttribution({ location: `${SITE}/?utm_source=${encodeURIComponent('a' + '😀'.repeat(200))}` });
  assert.equal(emoji.utm_source, 'a' + '😀'.repeat(124)); // 1 + 124 × 4 = 497 bytes; a 125th would pass 500
});

test('characters the core refuses in attribution are dropped, so a crafted link cannot block the visitor\'s leads', () => {
  const raw = 'fa\u0000ll\n\u202e\u2066x\u007f';
  const got = captureAttribution({ location: `${SITE}/?utm_campaign=${encodeURIComponent(raw)}&utm_source=%0A%0D&utm_term=%ED%A0%80ok` });
  assert.deepEqual(got, { utm_campaign: 'fallx', utm_term: '\ufffd\ufffd\ufffdok', landingPath: '/' });
  // A stored record holding them is junk.
  const session = memoryStorage({ [ATTRIBUTION_KEY]: JSON.stringify({ utm_campaign: 'a\u202eb' }) });
  assert.deepEqual(captureAttribution({ location: `${SITE}/x`, sessionStorage: session }), { landingPath: '/x' });
  const lone = memoryStorage({ [ATTRIBUTION_KEY]: '{"utm_campaign":"\\ud800"}' });
  assert.deepEqual(captureAttribution({ location: `${SITE}/x`, sessionStorage: lone }), { landingPath: '/x' });
});

test('junk in sessionStorage is treated as absent and replaced by this page\'s record', () => {
  const page = { location: `${SITE}/contact`, referrer: 'https://other.example/' };
  const junk = [
    'not json', '[]', 'null', '42', '{"utm_source":7}', '{"utm_source":"x","evil":"y"}',
    JSON.stringify({ utm_source: 'x'.repeat(501) }), JSON.stringify({ __proto__: null, constructor: 'x' }),
  ];
  for (const text of junk) {
    const session = memoryStorage({ [ATTRIBUTION_KEY]: text });
    assert.deepEqual(captureAttribution({ ...page, sessionStorage: session }),
      { referrer: 'https://other.example/', landingPath: '/contact' }, text);
    assert.deepEqual(JSON.parse(session.map.get(ATTRIBUTION_KEY)), { referrer: 'https://other.example/', landingPath: '/contact' });
  }
  // A well-formed record is kept as it is.
  const kept = memoryStorage({ [ATTRIBUTION_KEY]: '{"utm_campaign":"fall"}' });
  assert.deepEqual(captureAttribution({ ...page, sessionStorage: kept }), { utm_campaign: 'fall' });
});

test('storage that throws or is missing still gives this page\'s record', () => {
  const blocked = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceededError'); } };
  const want = { utm_source: 'expo', landingPath: '/' };
  assert.deepEqual(captureAttribution({ location: `${SITE}/?utm_source=expo`, sessionStorage: blocked }), want);
  assert.deepEqual(captureAttribution({ location: `${SITE}/later`, sessionStorage: blocked }), { landingPath: '/later' });
  assert.deepEqual(captureAttribution({ location: `${SITE}/?utm_source=expo`, sessionStorage: null }), want);
  assert.deepEqual(captureAttribution({ location: `${SITE}/?utm_source=%20%20` }), { landingPath: '/' }, 'a blank utm value is none');
  assert.equal(captureAttribution({}), null);
});

test('pageEnvironment: empty where there is no page; storage that throws when touched is null', () => {
  assert.deepEqual(pageEnvironment(), { location: '', referrer: '', sessionStorage: null });
  // A sandboxed frame or blocked storage throws a SecurityError on window.sessionStorage itself.
  Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, get() { throw new Error('SecurityError'); } });
  try {
    assert.equal(pageEnvironment().sessionStorage, null);
  } finally {
    delete globalThis.sessionStorage;
  }
});
