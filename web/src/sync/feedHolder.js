// One tab per tenant runs the feed loop: the Web Lock that decides which, and the hand-over when that tab stops.

/**
 * A tab's part in following the feed. It asks for the exclusive Web Lock `lockName`
 * (after `after` settles: a previous holder of this tab letting go); once granted, it
 * calls startLoop() → stop, and holds the lock until stop(). Tabs waiting for the lock
 * run nothing: they see the holder's pages through the shared commit path. Without
 * `locks` (no Web Locks here) the loop starts at once.
 *   shouldLead(): false when the lock comes too late (the store closed meanwhile).
 */
export class FeedHolder {
  /** True while this tab holds the lock and runs the loop. */
  leading = false;
  #stopped = false;
  #stopLoop = null;
  #release = null;
  #abort = new AbortController();
  #ended;

  constructor({ locks, lockName, after = Promise.resolve(), startLoop, shouldLead = () => true }) {
    const lead = () => {
      if (this.#stopped || !shouldLead()) return undefined;
      this.leading = true;
      this.#stopLoop = startLoop();
      return new Promise((resolve) => { this.#release = resolve; });
    };
    this.#ended = after
      .then(() => (locks ? locks.request(lockName, { signal: this.#abort.signal }, lead) : lead()))
      .catch(() => {}); // an aborted wait for the lock: this tab stopped before it led
  }

  /**
   * Withdraws from the lock queue, or, when leading, ends the loop, calls beforeRelease()
   * (the holder announces 'off' there, so a successor's first state comes after it) and
   * releases the lock. Resolves once the lock is released.
   */
  async stop(beforeRelease = () => {}) {
    this.#stopped = true;
    this.#abort.abort(); // no effect once the lock is held
    if (this.#stopLoop) {
      await this.#stopLoop();
      beforeRelease();
    }
    this.#release?.();
    await this.#ended;
  }
}
