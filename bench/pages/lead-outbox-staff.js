// A staff device behind window.staffBench: opens the staff store over what the visitor page stored, follows the feed.
import { getStore, coreHeapBytes } from '/web/dist/lead-outbox.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

window.staffBench = {
  /**
   * Opens `tenant`'s staff store (the staff core only: this page loads no other), which
   * reads the tenant's stored outbox as a second tab would, then follows the feed at `url`
   * with `token` until it is live with `rows` rows in the replica. Resolves to
   * {pending, replicaRows, followMs, heapAfterOpenBytes, heapBytes}: the staff core's wasm heap
   * once open (the outbox only) and at the end (a wasm heap grows and never shrinks, so
   * this is its peak).
   */
  async follow({ tenant, url, token, rows }) {
    const store = await getStore(tenant, { staff: true, autoSync: false });
    const heapAfterOpenBytes = await coreHeapBytes();
    const t0 = performance.now();
    store.startFeed({ url, getToken: () => token });
    const count = () => store.query('SELECT count(*) AS n FROM replica_leads')[0].n;
    // A feed that never gets there (a bad token, a server error) fails the run instead of hanging it.
    const deadline = t0 + 10 * 60 * 1000;
    while (store.getStatus().feed.state !== 'live' || count() < rows) {
      if (performance.now() > deadline) throw new Error(`staff feed: ${count()} of ${rows} rows, ${JSON.stringify(store.getStatus().feed)}`);
      await sleep(20);
    }
    const followMs = performance.now() - t0;
    await store.stopFeed();
    return { pending: store.getStatus().pending, replicaRows: count(), followMs, heapAfterOpenBytes, heapBytes: await coreHeapBytes() };
  },
};
