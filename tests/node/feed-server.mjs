// A second server process for the feed tests: the feed handler on its own port (GET /feed), and its waiter count (GET /waiters).
import { createServer } from 'node:http';
import { createLeadFeedHandler, toNodeListener } from '../../web/server/index.js';

const feed = createLeadFeedHandler({
  databaseUrl: process.env.DATABASE_URL,
  staffKeys: JSON.parse(process.env.STAFF_KEYS),
  tokenSecret: process.env.TOKEN_SECRET,
  liveTimeoutMs: 20_000,
});
const listener = toNodeListener(feed);
const server = createServer((req, res) => {
  if (req.url === '/waiters') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ waiters: feed.wakeups.waiters, listening: feed.wakeups.listening }));
  }
  return listener(req, res);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', async () => {
  server.close();
  await feed.close();
  process.exit(0);
});
