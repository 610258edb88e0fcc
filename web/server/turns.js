// Turns at a locked row, per handler: one caller waits at the lock in PostgreSQL, the rest in memory, without a pooled connection.

/**
 * A request that must wait for a row another transaction holds (a rate-limit bucket, the
 * tenant's version row) would wait for the lock inside PostgreSQL on a pooled connection:
 * a burst of one tenant's requests would then hold every connection of the pool while only
 * one of them can move, and other tenants' requests would starve. Returns
 * `turn(keys, timeoutMs, work)`: runs `work(handOn)` once this handler's earlier callers
 * with any of `keys` have handed on, waiting in memory. Keys are taken in the order given,
 * so callers must give them in one order (the lock order of the rows they stand for).
 * `work` calls `handOn()` once it holds the rows' locks: the next caller then starts and
 * waits for the rows in PostgreSQL, ready the moment this transaction ends, while the ones
 * after it still wait in memory. So per key at most two callers hold a connection (one with
 * the lock, one waiting for it), and the round trips before the lock (connect, BEGIN,
 * set_config) are not added to the time each caller holds it. Without a handOn() call the
 * turn passes on when `work` settles. A caller still waiting after `timeoutMs` rejects with
 * an Error (the handlers answer 503, as a lock timeout in the database would) and does not
 * hold up those behind it.
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
    let handedOn = false;
    const handOn = () => {
      if (handedOn) return;
      handedOn = true;
      for (const release of releases) release();
    };
    let timer;
    try {
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for a turn at a locked row`)), timeoutMs);
      });
      await Promise.race([Promise.all(waits), late]);
      clearTimeout(timer);
      return await work(handOn);
    } finally {
      clearTimeout(timer);
      handOn();
    }
  };
}
