/** A held reply: `reached` resolves once a call did its work and waits; `release()` lets its reply go. */
export interface ResponseHold {
  reached: Promise<void>;
  release(): void;
}

interface Pending {
  matches(args: Record<string, unknown>): boolean;
  reach(): void;
  released: Promise<void>;
}

/**
 * Replies a test holds back after the call took effect: a client that posted a message does not learn its ts
 * until released, as when the network or Slack is slow to answer. Lets a test order what happens in between.
 */
export class ResponseHolds {
  private readonly pending = new Map<string, Pending[]>();

  /** Holds the reply to the next call of `method` whose arguments match (any, by default). */
  hold(method: string, matches: (args: Record<string, unknown>) => boolean = () => true): ResponseHold {
    let reach!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.pending.set(method, [...(this.pending.get(method) ?? []), { matches, reach, released }]);
    return { reached, release };
  }

  /** Waits, when a hold for this call is queued, until the test releases it. */
  async wait(method: string, args: Record<string, unknown>): Promise<void> {
    const queue = this.pending.get(method) ?? [];
    const index = queue.findIndex((p) => p.matches(args));
    if (index < 0) return;
    const [next] = queue.splice(index, 1);
    if (!next) return;
    next.reach();
    await next.released;
  }
}
