// Adapts a web-standard (Request) => Response handler to Node's http (req, res).
import { Readable } from 'node:stream';
import { setPeerAddress } from './address.js';

/** Returns an `http.createServer` listener that runs `handler`. */
export function toNodeListener(handler) {
  return async (req, res) => {
    try {
      const url = `http://${req.headers.host ?? 'localhost'}${req.url}`;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
      });
      setPeerAddress(request, req.socket.remoteAddress);
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: String(err?.message ?? err) } }));
    }
  };
}
