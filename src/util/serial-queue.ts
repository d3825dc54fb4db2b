/**
 * Runs tasks one after another per key (a channel, a message, a request), in the order they were queued.
 * A task that fails rejects its own caller only: the next task for the key still runs, and no rejection goes
 * unhandled. A key with nothing queued is forgotten, so the queue holds only keys with work in hand.
 */
export class SerialQueue<Key = string> {
  private readonly tails = new Map<Key, Promise<void>>();

  /** Queues `task` behind every task already queued for `key`; settles as the task does. */
  run<T>(key: Key, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves (never rejects) once every task queued so far for `key` has settled. */
  settled(key: Key): Promise<void> {
    return this.tails.get(key) ?? Promise.resolve();
  }

  /** How many keys have work queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves once no key has work, including tasks queued while waiting. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
