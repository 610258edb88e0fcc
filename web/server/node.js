// Adapts a web-standard (Request) => Response handler to Node's http (req, res).
import { Readable } from 'node:stream';
import { setPeerAddress } from './address.js';

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
      setPeerAddress(request, req.socket.remoteAddress);
      const response = await handler(request);
      const headers = Object.fromEntries(response.headers);
      // The handler answered without the whole body (a deadline, a size limit, a bad
      // token): close the connection after the answer rather than read the rest.
      if (hasBody && !req.complete) headers.connection = 'close';
      res.writeHead(response.status, headers);
      if (!response.body) return void res.end();
      for await (const chunk of response.body) {
        if (gone.signal.aborted) break;
        res.write(chunk);
      }
      res.end();
    } catch {
      // A request Node parsed but Request refuses (a method like TRACE, a host that makes
      // no URL), or an answer that failed half-way. The error's text stays here: it may
      // name internals. An answer already started can only be cut off.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'The request could not be handled.' } }));
    }
  };
}
