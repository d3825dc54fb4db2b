import type { RedisClient } from '../state/redis-connection';
import type { Notifier } from '../slack/notifier/notifier';
import { stateKey } from '../state/keys';
import type { RequestMessageRef } from '../state/request-message-map';
import type { Logger } from '../util/logger';
import { SerialQueue } from '../util/serial-queue';
import { progressText, outcomeText } from './progress-text';
import type { ProgressSink, ProgressUpdate } from './throttled-progress';
import type { RequestOutcome } from './worker-deps';

/** The two Slack calls the progress message needs. */
export interface ChatPort {
  postMessage(args: { channel: string; thread_ts: string; text: string }): Promise<{ ts?: string }>;
  update(args: { channel: string; ts: string; text: string }): Promise<unknown>;
}

/**
 * The progress message's calls through the process's notifier: the same per-channel pacing and 429 handling as
 * every card, and one log line (the notifier's) when Slack refuses the channel.
 */
export function notifierChat(notifier: Pick<Notifier, 'post' | 'update'>): ChatPort {
  return {
    postMessage: async ({ channel, thread_ts, text }) => {
      const posted = await notifier.post({ channel, threadTs: thread_ts, text, blocks: [] });
      return { ts: posted.ts };
    },
    update: ({ channel, ts, text }) => notifier.update(channel, ts, () => Promise.resolve({ text, blocks: [] })),
  };
}

export interface ProgressThreadOptions {
  chat: ChatPort;
  redis: RedisClient;
  prefix: string;
  /** Where the request's card is (its thread holds the progress message). */
  cardOf(requestId: string): Promise<RequestMessageRef | undefined>;
  /** Operation and cluster of a request, for the message's title. */
  describe(requestId: string): Promise<{ operation: string; cluster: string } | undefined>;
  /** Least time between two edits of one message. */
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

interface Thread {
  steps: string[];
  latest?: ProgressUpdate;
  lastEditAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * One progress message per request in its card's thread, edited at most every `intervalMs` (the latest update
 * wins; nothing is queued up). The message's ts is kept in Redis, so a worker that takes over after a crash edits
 * the same message instead of posting a second one.
 */
export class ProgressThreads {
  private readonly threads = new Map<string, Thread>();
  // One Slack call at a time per request, so the first post is never made twice.
  private readonly writes = new SerialQueue<string>();
  private readonly now: () => number;

  constructor(private readonly options: ProgressThreadOptions) {
    this.now = options.now ?? Date.now;
  }

  sink(requestId: string): ProgressSink {
    return (update) => this.onUpdate(requestId, update);
  }

  /** Replaces the progress message with the outcome, at once. */
  async finish(outcome: RequestOutcome): Promise<void> {
    const thread = this.thread(outcome.requestId);
    if (thread.timer) clearTimeout(thread.timer);
    thread.timer = undefined;
    await this.enqueue(outcome.requestId, () => this.write(outcome.requestId, outcomeText(outcome)));
    this.threads.delete(outcome.requestId);
  }

  close(): void {
    for (const thread of this.threads.values()) if (thread.timer) clearTimeout(thread.timer);
    this.threads.clear();
  }

  private thread(requestId: string): Thread {
    let thread = this.threads.get(requestId);
    if (!thread) {
      thread = { steps: [], lastEditAt: -Infinity };
      this.threads.set(requestId, thread);
    }
    return thread;
  }

  private onUpdate(requestId: string, update: ProgressUpdate): Promise<void> {
    if (update.finished) return Promise.resolve(); // finish() writes the outcome with its figures
    const thread = this.thread(requestId);
    if (thread.steps.at(-1) !== update.step) thread.steps.push(update.step);
    thread.latest = update;
    const wait = thread.lastEditAt + this.options.intervalMs - this.now();
    if (wait <= 0) return this.flush(requestId, thread);
    thread.timer ??= setTimeout(() => {
      thread.timer = undefined;
      void this.flush(requestId, thread);
    }, wait);
    thread.timer.unref();
    return Promise.resolve();
  }

  private flush(requestId: string, thread: Thread): Promise<void> {
    thread.lastEditAt = this.now();
    return this.enqueue(requestId, async () => {
      const described = await this.options.describe(requestId);
      if (!thread.latest || !described) return;
      await this.write(
        requestId,
        progressText({ ...described, requestId, steps: thread.steps, latest: thread.latest }),
      );
    });
  }

  private enqueue(requestId: string, work: () => Promise<void>): Promise<void> {
    return this.writes.run(requestId, work).catch((err: unknown) => {
      this.options.logger.warn({ err, requestId }, 'could not write the progress message');
    });
  }

  private async write(requestId: string, text: string): Promise<void> {
    const card = await this.options.cardOf(requestId);
    if (!card) return;
    const key = stateKey(this.options.prefix, 'progress-message', requestId);
    const ts = await this.options.redis.get(key);
    if (ts) {
      await this.options.chat.update({ channel: card.channel, ts, text });
      return;
    }
    const posted = await this.options.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text });
    if (posted.ts) await this.options.redis.set(key, posted.ts, 'EX', 45 * 86400);
  }
}
