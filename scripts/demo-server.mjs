// A local server for the demo page and the browser tests: static files plus an in-memory sync endpoint.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const SERVED = ['web/'];

/** Starts the server; resolves with {url, leads, setSyncAvailable, close}. `leads` maps id → lead as received. */
export async function startDemoServer({ port = 0, token = 'demo-token', syncAvailable = true } = {}) {
  const leads = new Map();
  let available = syncAvailable;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    try {
      if (url.pathname === '/api/leads/sync' && req.method === 'POST') return await sync(req, res);
      if (url.pathname === '/api/leads' && req.method === 'GET') return send(res, 200, [...leads.values()]);
      const path = url.pathname === '/' ? 'web/demo/index.html' : normalize(url.pathname.slice(1));
      if (!SERVED.some((p) => path.startsWith(p)) || path.includes('..')) return send(res, 404, { error: 'not found' });
      const body = await readFile(join(ROOT, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch (err) {
      send(res, err.code === 'ENOENT' ? 404 : 500, { error: { message: String(err.message) } });
    }
  });

  async function sync(req, res) {
    if (!available) return send(res, 503, { error: { code: 'unavailable', message: 'the server is unavailable' } });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text);
    const results = body.leads.map((lead) => {
      if (leads.has(lead.id)) return { id: lead.id, status: 'duplicate' };
      leads.set(lead.id, { ...lead, tenantId: body.tenantId, receivedAt: Date.now() });
      return { id: lead.id, status: 'accepted' };
    });
    send(res, 200, { results });
  }

  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    leads,
    setSyncAvailable: (value) => { available = value; },
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

function send(res, status, json) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(json));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startDemoServer({ port: Number(process.env.PORT ?? 3000) });
  console.log(`lead-outbox demo: ${url}/  (leads that reached the server: ${url}/api/leads)`);
}
