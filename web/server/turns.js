// One waiter per row lock at a time, per handler: the rest wait in memory, without a pooled connection.

/**
 * A request that must wait for a row another transaction holds (a rate-limit bucket, the
 * tenant's version row) would wait for the lock inside PostgreSQL on a pooled connection:
 * a burst of one tenant's requests would then hold every connection of the pool while only
 * one of them can move, and other tenants' requests would starve. Returns
 * `turn(keys, timeoutMs, work)`: runs `work()` once this handler's earlier callers with any
 * of `keys` are done, waiting in memory. Keys are taken in the order given, so callers must
 * give them in one order (the lock order of the rows they stand for). A caller still
 * waiting after `timeoutMs` rejects with an Error (the handlers answer 503, as a lock
 * timeout in the database would) and does not hold up those behind it.
 */
export function createTurns() {
  const tails = new Map(); // key → the promise the next caller with that key waits for
  return async function turn(keys, timeoutMs, work) {
    const releases = [];
    const waits = [];
    for (const key of keys) {
      const before = tails.get(key) ?? Promise.resolve();
      let release;
      const mine = new Promise((resolve) => (release = resolve));
      const tail = before.then(() => mine);
      tails.set(key, tail);
      waits.push(before);
      releases.push(() => {
        release();
        // The last caller of a key leaves no entry behind (addresses and tenants are many).
        tail.then(() => tails.get(key) === tail && tails.delete(key));
      });
    }
    let timer;
    try {
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for a turn at a locked row`)), timeoutMs);
      });
      await Promise.race([Promise.all(waits), late]);
      clearTimeout(timer);
      return await work();
    } finally {
      clearTimeout(timer);
      for (const release of releases) release();
    }
  };
}
