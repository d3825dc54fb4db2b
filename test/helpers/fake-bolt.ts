import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { RoleLists } from '../../src/core/cluster-facts';
import { authorise } from '../../src/core/roles/authorise';
import type { SlackUserFacts } from '../../src/core/roles/slack-user';
import type { UserDirectory } from '../../src/slack/directory/user-directory';

// Fakes for what Bolt hands a listener (ack, respond, client), so a listener is unit-tested as a function:
// call it with a payload, then read what it acknowledged, answered and called.

export interface RecordedCall {
  /** "chat.postMessage", "views.open", … */
  method: string;
  args: Record<string, unknown>;
}

export interface FakeBolt {
  ack: jest.Mock<Promise<void>, unknown[]>;
  respond: jest.Mock<Promise<unknown>, unknown[]>;
  /** A WebClient whose every method records its call and answers `answers[method]` (default `{ ok: true }`). */
  client: WebClient;
  calls: RecordedCall[];
  /** What respond() was given, in order. */
  responses(): Record<string, unknown>[];
  /** The text of every ephemeral answer and every posted message, for assertions on wording. */
  texts(): string[];
}

export function fakeBolt(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}): FakeBolt {
  const calls: RecordedCall[] = [];
  const namespace = (ns: string): unknown =>
    new Proxy(
      {},
      {
        get: (_target, method: string) => {
          if (method === 'then') return undefined; // not a thenable
          const name = `${ns}.${method}`;
          return (args: Record<string, unknown> = {}) => {
            calls.push({ method: name, args });
            const answer = answers[name];
            return Promise.resolve(answer ? answer(args) : { ok: true });
          };
        },
      },
    );
  const client = new Proxy({}, { get: (_t, ns: string) => (ns === 'then' ? undefined : namespace(ns)) }) as WebClient;
  const ack = jest.fn(() => Promise.resolve());
  const respond = jest.fn((_message: unknown) => Promise.resolve({}));
  const responses = () => respond.mock.calls.map((c) => c[0] as Record<string, unknown>);
  return {
    ack,
    respond,
    client,
    calls,
    responses,
    texts: () => [
      ...responses().map((r) => String(r.text ?? '')),
      ...calls.filter((c) => c.method === 'chat.postMessage').map((c) => String(c.args.text ?? '')),
    ],
  };
}

/** A block_actions body as Slack sends it for a click on a message in a channel. */
export function clickBody(
  userId: string,
  opts: { channel?: string; ts?: string; teamId?: string } = {},
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: userId, name: userId.toLowerCase(), team_id: opts.teamId ?? 'T0CERTOPS' },
    team: { id: opts.teamId ?? 'T0CERTOPS', domain: 'certops' },
    channel: opts.channel ? { id: opts.channel, name: 'platform' } : undefined,
    message: opts.ts ? { ts: opts.ts, type: 'message', text: '' } : undefined,
    container: opts.ts ? { type: 'message', message_ts: opts.ts, channel_id: opts.channel } : { type: 'view' },
    trigger_id: 'trigger-1',
    response_url: 'https://hooks.slack.test/actions/1',
    actions: [],
  };
}

/**
 * A user directory that answers from a fixed list of people, through certops' real role rule (core/roles), so a
 * listener test exercises the same authorisation as production without Slack's users.info.
 */
export function fakeDirectory(
  roles: RoleLists,
  people: Record<string, Partial<SlackUserFacts>> = {},
): Pick<UserDirectory, 'authorise'> & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    authorise: (userId: string) => {
      lookups.push(userId);
      const user: SlackUserFacts = {
        id: userId,
        name: userId.toLowerCase(),
        deleted: false,
        isBot: false,
        isRestricted: false,
        isUltraRestricted: false,
        ...people[userId],
      };
      return Promise.resolve({ user, auth: authorise({ user, groupMembers: new Map(), roles: { global: roles } }) });
    },
  };
}

export interface FakeApp {
  /** Hand this to a register function that takes Pick<App, 'event'>. */
  app: Pick<App, 'event'>;
  /** The handler registered for each event name, to call as Bolt would. */
  events: Map<string, (args: unknown) => Promise<void>>;
}

/** An app that only records which Events API handlers were registered. */
export function fakeApp(): FakeApp {
  const events = new Map<string, (args: unknown) => Promise<void>>();
  const event = (name: string, handler: (args: unknown) => Promise<void>) => void events.set(name, handler);
  return { events, app: { event } as unknown as Pick<App, 'event'> };
}
