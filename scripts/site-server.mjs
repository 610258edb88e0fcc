// A local site for the browser tests: the plain-HTML demo page's files and the sync route.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
};

/**
 * Serves `/` (the demo page, with `tenant` and its `token` filled in), files under /web/, and POST
 * /api/leads/sync through `syncListener` (a Node listener). No route reads leads back: that
 * is the staff feed's, behind staff sign-in (tests read PostgreSQL directly).
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startSiteServer({ port = 0, tenant = 'demo', token, syncListener }) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    try {
      if (url.pathname === '/api/leads/sync') return syncListener(req, res);
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const html = await readFile(join(ROOT, 'web/demo/index.html'), 'utf8');
        return send(res, 200, TYPES['.html'], html.replace('<html lang="en">', `<html lang="en" data-tenant="${escapeHtml(tenant)}" data-token="${escapeHtml(token)}">`));
      }
      if (url.pathname === '/sw.js') return send(res, 200, TYPES['.js'], await readFile(join(ROOT, 'demo/public/sw.js')));
      const path = normalize(url.pathname.slice(1));
      if (!path.startsWith('web/') || path.includes('..')) return send(res, 404, 'text/plain', 'not found');
      send(res, 200, TYPES[extname(path)] ?? 'application/octet-stream', await readFile(join(ROOT, path)));
    } catch (err) {
      send(res, err.code === 'ENOENT' ? 404 : 500, 'text/plain', String(err.message));
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
}

function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
