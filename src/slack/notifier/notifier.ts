import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../util/logger';
import { logChannelRefusal } from '../slack-errors';
import { retryAfterSeconds } from './rate-limit';
import { MAX_BLOCKS_PER_MESSAGE, splitBlocks } from './split-blocks';
import { SerialQueue } from '../../util/serial-queue';

export interface OutgoingMessage {
  channel: string;
  text: string;
  blocks: KnownBlock[];
  threadTs?: string;
  /** Slack message metadata (needs no scope to post): lets certops recognise its own messages later. */
  metadata?: MessageMetadata;
}

export interface PostedMessage {
  /** The channel ID Slack answered with (a #name is resolved). */
  channel: string;
  ts: string;
}

export type MessageContent = Pick<OutgoingMessage, 'text' | 'blocks' | 'metadata'>;

export interface NotifierOptions {
  logger: Logger;
  /** Spacing of chat.postMessage calls per channel (Slack allows about one message per second). */
  minIntervalMs?: number;
  /** Attempts per call when Slack answers 429. */
  maxAttempts?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface NotifierStats {
  posts: number;
  updates: number;
  /** 429 answers received (each one waited for and retried). */
  rateLimited: number;
}

type ChatClient = Pick<WebClient, 'chat'>;

/**
 * Posts and updates Slack messages within Slack's limits: a queue per channel spaces posts, a 429 is
 * waited out for its Retry-After and the call repeated, anything past 50 blocks continues in the thread,
 * and updates of one message coalesce (the last rendering wins) so a flurry of changes is one call.
 * The client must be built with `rejectRateLimitedCalls: true` so 429s reach this queue.
 */
export class Notifier {
  readonly stats: NotifierStats = { posts: 0, updates: 0, rateLimited: 0 };
  private readonly minIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly postQueue = new SerialQueue<string>();
  private readonly lastPostAt = new Map<string, number>();
  private readonly updateQueue = new SerialQueue<string>();
  private readonly queuedUpdates = new Map<string, () => Promise<MessageContent | undefined>>();

  constructor(
    private readonly client: ChatClient,
    private readonly options: NotifierOptions,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Posts a message (blocks past 50 go to its thread) and resolves with where it landed. */
  async post(message: OutgoingMessage): Promise<PostedMessage> {
    const { head, replies } = splitBlocks(message.blocks);
    const posted = await this.postOne({ ...message, blocks: head });
    for (const blocks of replies) {
      await this.postOne({
        channel: posted.channel,
        text: message.text,
        blocks,
        threadTs: message.threadTs ?? posted.ts,
      });
    }
    return posted;
  }

  /**
   * Replaces a message's content with whatever `render` returns when the call is made (undefined: skip).
   * Calls for a message already waiting are merged into the waiting one.
   */
  update(channel: string, ts: string, render: () => Promise<MessageContent | undefined>): Promise<void> {
    const key = `${channel}:${ts}`;
    const alreadyQueued = this.queuedUpdates.has(key);
    this.queuedUpdates.set(key, render);
    if (alreadyQueued) return this.updateQueue.settled(key);
    return this.updateQueue.run(key, async () => {
      const latest = this.queuedUpdates.get(key);
      this.queuedUpdates.delete(key);
      const content = latest ? await latest() : undefined;
      if (!content) return;
      const blocks = content.blocks.slice(0, MAX_BLOCKS_PER_MESSAGE);
      await this.withRetries(channel, () =>
        this.client.chat.update({
          channel,
          ts,
          text: content.text,
          // Text alone (a progress line) is sent without blocks, as posts are.
          ...(blocks.length > 0 ? { blocks } : {}),
          ...(content.metadata ? { metadata: content.metadata } : {}),
        }),
      );
      this.stats.updates++;
    });
  }

  /** Resolves when every queued post and update has been attempted. */
  async idle(): Promise<void> {
    while (this.postQueue.size > 0 || this.updateQueue.size > 0) {
      await Promise.all([this.postQueue.idle(), this.updateQueue.idle()]);
    }
  }

  private postOne(message: OutgoingMessage): Promise<PostedMessage> {
    const channel = message.channel;
    return this.postQueue.run(channel, async () => {
      const wait = (this.lastPostAt.get(channel) ?? -Infinity) + this.minIntervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      const answer = await this.withRetries(channel, () =>
        this.client.chat.postMessage({
          channel,
          text: message.text,
          // A notice of text alone (a thread reply) is sent without blocks: Slack draws its text.
          ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
          unfurl_links: false,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          ...(message.metadata ? { metadata: message.metadata } : {}),
        }),
      );
      this.lastPostAt.set(channel, this.now());
      this.stats.posts++;
      return { channel: answer.channel ?? channel, ts: answer.ts ?? '' };
    });
  }

  private async withRetries<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const seconds = retryAfterSeconds(err);
        if (seconds === undefined || attempt >= this.maxAttempts) {
          logChannelRefusal(this.options.logger, err, channel);
          throw err;
        }
        this.stats.rateLimited++;
        this.options.logger.warn(
          { retryAfterSeconds: seconds, attempt },
          'slack rate limited the call; waiting as asked',
        );
        await this.sleep(seconds * 1000);
      }
    }
  }
}
