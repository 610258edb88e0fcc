// UUIDs: random v4 ones, and time-ordered v7 ones for lead ids; both work outside secure contexts, where crypto.randomUUID is missing.

/** A random (version 4) UUID. */
export function randomUuid() {
  return uuid(globalThis.crypto.getRandomValues(new Uint8Array(16)), 0x40);
}

/**
 * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids
 * made later sort later, so a new lead's id lands at the end of the id index, on the
 * pages the last commits touched, instead of on a random page: fewer pages per commit,
 * here and in the server's PostgreSQL index.
 */
export function timeOrderedUuid(now = Date.now()) {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  return uuid(b, 0x70);
}

// The UUID of random bytes `b` with its `version` (high nibble of byte 6) and RFC 9562 variant bits set.
function uuid(b, version) {
  b[6] = (b[6] & 0x0f) | version;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
