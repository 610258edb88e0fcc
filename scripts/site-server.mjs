// A local site for the demo and the browser tests: the demo page's files, the sync route, and /leads.
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
 * Serves `/` (the demo page, with `tenant` and its `token` filled in), files under /web/, POST
 * /api/leads/sync through `syncListener` (a Node listener), and GET /leads and
 * /api/leads from `listLeads()` (rows that reached the server).
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startSiteServer({ port = 0, tenant = 'demo', token, syncListener, listLeads }) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    try {
      if (url.pathname === '/api/leads/sync') return syncListener(req, res);
      if (url.pathname === '/api/leads') return send(res, 200, 'application/json', JSON.stringify(await listLeads()));
      if (url.pathname === '/leads') return send(res, 200, TYPES['.html'], leadsPage(await listLeads()));
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

function leadsPage(rows) {
  const items = rows.map((r) => `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.email)}</td><td>${escapeHtml(r.received_at)}</td></tr>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Leads received</title>
<meta http-equiv="refresh" content="3"><link rel="stylesheet" href="/web/demo/demo.css"></head>
<body><main><h1>Leads received by the server</h1><p id="count">${rows.length} leads</p>
<table><thead><tr><th>Name</th><th>Email</th><th>Received</th></tr></thead><tbody>${items.join('')}</tbody></table>
<p><a href="/">Back to the form</a></p></main></body></html>`;
}
