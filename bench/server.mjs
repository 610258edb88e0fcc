// The benchmark's static server: the package's web/ folder, the peers' folders (PGlite, Dexie, wa-sqlite), the bench pages, the sync route and the staff feed.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
/** URL prefix → folder on disk. Each engine's page only ever asks for its own prefix. */
export const MOUNTS = {
  '/web/': join(BENCH, '..', 'web'),
  '/pglite/': join(BENCH, 'node_modules', '@electric-sql', 'pglite', 'dist'),
  '/dexie/': join(BENCH, 'node_modules', 'dexie', 'dist'),
  '/wa-sqlite/': join(BENCH, 'node_modules', 'wa-sqlite'),
  '/bench/pages/': join(BENCH, 'pages'),
};
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.data': 'application/octet-stream',
};

/**
 * Starts the server on a loopback port. Files are sent uncompressed with an ETag, so a
 * reload revalidates (304) as it would against a CDN. POST /api/leads/sync goes to
 * `syncListener`, /api/leads/feed to `feedListener`, when given. Every file request (200 or 304) is recorded: take() returns
 * and clears the list, so the caller learns which files a page really loaded.
 * @returns {Promise<{url: string, take: () => Array<{path: string, file: string, status: number}>, close: () => Promise<void>}>}
 */
export async function startBenchServer({ syncListener, feedListener } = {}) {
  let served = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/api/leads/sync' && syncListener) return syncListener(req, res);
    if (url.pathname === '/api/leads/feed' && feedListener) return feedListener(req, res);
    const prefix = Object.keys(MOUNTS).find((p) => url.pathname.startsWith(p));
    const rel = prefix && normalize(decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!rel || rel.startsWith('..')) return send(res, 404, 'not found');
    const file = join(MOUNTS[prefix], rel);
    try {
      const info = await stat(file);
      const etag = `"${info.size}-${info.mtimeMs}"`;
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag };
      if (req.headers['if-none-match'] === etag) {
        served.push({ path: url.pathname, file, status: 304 });
        res.writeHead(304, headers);
        return res.end();
      }
      const body = await readFile(file);
      served.push({ path: url.pathname, file, status: 200 });
      res.writeHead(200, headers);
      res.end(body);
    } catch (err) {
      send(res, err.code === 'ENOENT' ? 404 : 500, String(err.message));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    take() {
      const out = served;
      served = [];
      return out;
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}
