// The client address a request's per-address rate limit is keyed on, from a trusted proxy header or the socket.
import { isIP } from 'node:net';

// Requests that came through toNodeListener, with their socket's peer address. Only the
// Node adapter knows it: a web-standard Request carries no address.
const peers = new WeakMap();

/** Records the peer address of `request` (for toNodeListener). */
export function setPeerAddress(request, address) {
  if (typeof address === 'string' && address) peers.set(request, address);
}

/**
 * Returns `(request) => string | null`: the client's address, or null when it is unknown
 * (then the per-address limit does not apply to that request).
 * - `clientAddress(request)`, when given, decides alone.
 * - `trustProxyHeader` (e.g. 'x-forwarded-for'): each proxy appends the address it got
 *   the request from, so a client can write anything on the left but not on the right.
 *   `trustedProxies` (default 1) is how many proxies of your own append to it; the entry
 *   that many places from the right is the client as your outermost proxy saw it. A
 *   header with fewer entries uses its left-most one; a request without the header (it
 *   did not come through your proxy) falls back to the socket's peer address.
 * - Otherwise the socket's peer address when toNodeListener runs the handler (right for
 *   a Node server facing the internet; behind a proxy it is the proxy's, so set the header).
 */
export function addressResolver({ clientAddress, trustProxyHeader, trustedProxies = 1 }) {
  if (typeof clientAddress === 'function') return (request) => normalizeAddress(clientAddress(request));
  const header = typeof trustProxyHeader === 'string' && trustProxyHeader ? trustProxyHeader.toLowerCase() : null;
  const hops = Math.max(1, Math.floor(trustedProxies));
  return (request) => {
    const value = header ? request.headers.get(header) : null;
    if (value) {
      const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
      const chosen = entries[Math.max(0, entries.length - hops)];
      if (chosen) return normalizeAddress(chosen);
    }
    return normalizeAddress(peers.get(request));
  };
}

/**
 * The bucket key for an address: an IPv4 address as is, an IPv6 address by its /64
 * prefix (one host is given a whole /64, so a full address would be a new bucket per
 * request), an IPv4-mapped IPv6 address as IPv4. A port or brackets are dropped. Text that
 * is no IP address (a proxy that writes "unknown") is kept as is, lowercased and cut to
 * 100 characters: it still names one bucket. Null for nothing.
 */
export function normalizeAddress(raw) {
  if (typeof raw !== 'string') return null;
  let a = raw.trim().toLowerCase();
  if (!a) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.replace(/%.*$/, ''); // an IPv6 zone
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1];
  if (isIP(a) === 4) return a;
  if (isIP(a) === 6) return `${expandIpv6(a).slice(0, 4).join(':')}::/64`;
  return a.slice(0, 100);
}

// The eight groups of an IPv6 address, without leading zeros.
function expandIpv6(a) {
  let text = a;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16).toString(16));
}
