// Attribution: the campaign (utm_*), referrer and landing path of the visit that brought the visitor, kept for the session.

/** The sessionStorage key of the session's record. */
export const ATTRIBUTION_KEY = 'lead-outbox:attribution';
export const UTM_KEYS = Object.freeze(['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']);
// The contract's bounds in UTF-8 bytes (the core refuses longer values, so capture cuts them).
export const ATTRIBUTION_LIMITS = Object.freeze({
  ...Object.fromEntries(UTM_KEYS.map((k) => [k, 500])),
  referrer: 2000,
  landingPath: 2000,
});
const KEYS = Object.keys(ATTRIBUTION_LIMITS);

/**
 * The session's attribution record, or null when there is nothing to record (or the site
 * turned attribution off). Pure: the page's environment is passed in and nothing else is read.
 *
 *   location: the page's URL (a string, or an object with `href`, like window.location);
 *   referrer: document.referrer ('' when none);
 *   sessionStorage: a Storage-like object ({getItem, setItem}) or null; its contents are
 *     untrusted: anything that is not a well-formed record is treated as absent;
 *   settings: getStore's `attribution` option: false (off: nothing read or written), or
 *     {utm, referrer, landingPath} with each part on unless false.
 *
 * The first page of a session records the landing URL's utm_* parameters, the referrer
 * (only when it is another origin: moving within the site is not a referral) and the
 * landing path (no query string: it may hold personal data), and stores the record; later
 * pages return it unchanged. A page whose URL carries any utm_* parameter is a new
 * campaign visit: the record is replaced in full, nothing of the old one is kept. Values
 * lose the characters the core refuses (control and bidi characters) and are cut to
 * ATTRIBUTION_LIMITS bytes on a code point boundary. Storage that throws (blocked, full)
 * is as if there were none: this page's record is returned.
 */
export function captureAttribution({ location, referrer = '', sessionStorage = null, settings } = {}) {
  if (settings === false) return null;
  const on = {
    utm: settings?.utm !== false,
    referrer: settings?.referrer !== false,
    landingPath: settings?.landingPath !== false,
  };
  const url = parseUrl(typeof location === 'string' ? location : location?.href);
  const utm = url ? utmOf(url) : {};
  const stored = Object.keys(utm).length > 0 ? null : readRecord(sessionStorage);
  if (stored) return select(stored, on);
  // Parts the site turned off are not stored either.
  const record = select(landing(url, utm, referrer), on);
  writeRecord(sessionStorage, record ?? {});
  return record;
}

function landing(url, utm, referrer) {
  const record = { ...utm };
  const from = parseUrl(typeof referrer === 'string' ? referrer : '');
  if (from && (from.protocol === 'http:' || from.protocol === 'https:') && from.origin !== url?.origin) {
    record.referrer = cut(from.href, ATTRIBUTION_LIMITS.referrer);
  }
  if (url) record.landingPath = cut(url.pathname, ATTRIBUTION_LIMITS.landingPath);
  return record;
}

function utmOf(url) {
  const utm = {};
  for (const key of UTM_KEYS) {
    const value = clean(url.searchParams.get(key) ?? '').trim();
    if (value) utm[key] = cut(value, ATTRIBUTION_LIMITS[key]);
  }
  return utm;
}

// The parts the site left on, in the contract's key order; null when none is left.
function select(record, on) {
  const out = {};
  for (const key of KEYS) {
    const part = key.startsWith('utm_') ? 'utm' : key;
    if (on[part] && record[key] !== undefined) out[key] = record[key];
  }
  return Object.keys(out).length > 0 ? out : null;
}

function readRecord(storage) {
  let text;
  try {
    text = storage?.getItem(ATTRIBUTION_KEY);
  } catch {
    return null;
  }
  if (typeof text !== 'string' || text.length > 20_000) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return isRecord(value) ? value : null;
}

// A record is what this file writes: only known keys, each a clean string within its bound.
function isRecord(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(([k, v]) => Object.hasOwn(ATTRIBUTION_LIMITS, k) && typeof v === 'string'
    && clean(v) === v && utf8Length(v) <= ATTRIBUTION_LIMITS[k]);
}

// `s` without what the core refuses in attribution (a lead carrying it would be refused
// whole): control characters, bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069) and lone surrogates (not UTF-8). A decoded utm_* value can hold any of them.
// eslint-disable-next-line no-control-regex
const REFUSED = /[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const clean = (s) => s.replace(REFUSED, '');

function writeRecord(storage, record) {
  try {
    storage?.setItem(ATTRIBUTION_KEY, JSON.stringify(record));
  } catch {
    // Blocked or full storage: this page's record still goes with a lead sent from it.
  }
}

function parseUrl(text) {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

// UTF-8 bytes of one code point.
const bytesOf = (ch) => {
  const c = ch.codePointAt(0);
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
};

function utf8Length(s) {
  let n = 0;
  for (const ch of s) n += bytesOf(ch);
  return n;
}

// `s` cut to at most `max` UTF-8 bytes, never inside a code point.
function cut(s, max) {
  let n = 0;
  let out = '';
  for (const ch of s) {
    n += bytesOf(ch);
    if (n > max) break;
    out += ch;
  }
  return out;
}

/**
 * What makes a page's first captureAttribution short, as steps for tasks of their own before
 * it: reaching window.sessionStorage, then reading the session's record. Each is a synchronous
 * call into the browser on the page's first use of sessionStorage (3–14 ms each at 4x CPU
 * throttle; 19–85 ms with the capture in one task: bench/REPORT.md, "The landing page's
 * attribution in three tasks"). Never throw; a page without sessionStorage skips them.
 */
export const ATTRIBUTION_PREPARE = Object.freeze([
  () => {
    try {
      void globalThis.sessionStorage;
    } catch {
      // Blocked storage: the capture finds none either.
    }
  },
  () => {
    try {
      globalThis.sessionStorage?.getItem(ATTRIBUTION_KEY);
    } catch {
      // As above.
    }
  },
]);

/**
 * This page's environment for captureAttribution, read from the browser's globals when
 * called (never at import time); empty where there is no page (server rendering, Node).
 * Reading window.sessionStorage throws where storage is blocked: then it is null.
 */
export function pageEnvironment() {
  let sessionStorage = null;
  try {
    sessionStorage = globalThis.sessionStorage ?? null;
  } catch {
    // Blocked storage (a sandboxed frame, some privacy settings).
  }
  return {
    location: globalThis.location?.href ?? '',
    referrer: globalThis.document?.referrer ?? '',
    sessionStorage,
  };
}
