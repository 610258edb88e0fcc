// Adapts a web-standard (Request) => Response handler to Node's http (req, res).
import { Readable } from 'node:stream';

/**
 * Returns an `http.createServer` listener that runs `handler`. The response body is
 * streamed (Server-Sent Events reach the client as they are written), and the request's
 * `signal` aborts when the client goes away, which ends a held long-poll or stream.
 */
export function toNodeListener(handler) {
  return async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => { if (!res.writableFinished) gone.abort(); });
    try {
      const url = `http://${req.headers.host ?? 'localhost'}${req.url}`;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
        signal: gone.signal,
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      for await (const chunk of response.body) {
        if (gone.signal.aborted) break;
        res.write(chunk);
      }
      res.end();
    } catch (err) {
      if (res.headersSent) return void res.destroy(err);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: String(err?.message ?? err) } }));
    }
  };
}
