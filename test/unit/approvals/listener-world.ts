import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { ApprovalDeps, ApprovalRequests } from '../../../src/approvals/approval-deps';
import { createRotationRequest } from '../../../src/approvals/create-request';
import type { RotateChoice } from '../../../src/approvals/rotate-input';
import { parseConfig } from '../../../src/config/load';
import * as machine from '../../../src/core/approvals';
import type { ApprovalRequest } from '../../../src/core/approvals';
import type { SlackUserFacts } from '../../../src/core/roles/slack-user';
import type { SubcommandContext } from '../../../src/slack/commands/context';
import type { ActionArgs, ViewArgs } from '../../../src/slack/listener-args';
import { Notifier } from '../../../src/slack/notifier/notifier';
import type { AuditEntry, AuditRecord } from '../../../src/state/audit-log';
import type { RequestMessageRef } from '../../../src/state/request-message-map';
import { silentLogger } from '../../../src/util/logger';
import { clickBody, fakeBolt, fakeDirectory, type FakeBolt } from '../../helpers/fake-bolt';

// One small world for the approvals listeners' unit tests: the real state machine (core/approvals) behind an
// in-memory store, the real role rule behind a fixed directory, the real notifier over the recording client, and
// an audit trail and a queue that record what they are given. No Redis, no Slack: what a listener acked, answered,
// stored, audited and queued is read back from here.

export const CHANNEL = 'C0PLATFORM';
export const CARD_TS = '1733390000.000200';
export const USERS = {
  requester: 'U0OPERATOR',
  approver1: 'U0APPROVER1',
  approver2: 'U0APPROVER2',
  nobody: 'U0NOBODY',
  guest: 'U0GUEST',
} as const;
export const NOW = new Date('2026-12-05T10:00:00Z');

/** The store's transitions, run by the same pure state machine the Redis store runs, on a map. */
export function memoryApprovals(now: () => Date): ApprovalRequests & { records: Map<string, ApprovalRequest> } {
  const records = new Map<string, ApprovalRequest>();
  const apply = <T extends machine.Transition | machine.VoteOutcome | machine.CancelVoteOutcome>(
    id: string,
    step: (r: ApprovalRequest, at: Date) => T,
  ) => {
    const current = records.get(id);
    if (!current) return Promise.resolve(machine.refuse('not-found', `No approval request ${id}.`));
    const outcome = step(structuredClone(current), now());
    if (outcome.ok) records.set(id, outcome.request);
    return Promise.resolve(outcome);
  };
  return {
    records,
    get: (id) => Promise.resolve(records.has(id) ? structuredClone(records.get(id)) : undefined),
    create: (request) => {
      if (records.has(request.id)) return Promise.resolve(machine.refuse('conflict', 'exists'));
      records.set(request.id, request);
      return Promise.resolve({ ok: true as const, request });
    },
    listPending: (filter = {}) =>
      Promise.resolve(
        [...records.values()].filter(
          (r) => r.status === 'pending' && (!filter.cluster || r.cluster === filter.cluster),
        ),
      ),
    listApproved: () => Promise.resolve([...records.values()].filter((r) => r.status === 'approved').map((r) => r.id)),
    listExpired: (at = now()) =>
      Promise.resolve(
        [...records.values()]
          .filter((r) => r.status === 'pending' && Date.parse(r.expiresAt) <= at.getTime())
          .map((r) => r.id),
      ),
    vote: (id, actor, auth) => apply(id, (r, at) => machine.vote(r, actor, auth, at)),
    reject: (id, actor, auth, reason) => apply(id, (r, at) => machine.reject(r, actor, auth, reason, at)),
    cancel: (id, actor) => apply(id, (r, at) => machine.cancel(r, actor, at)),
    expire: (id) => apply(id, (r, at) => machine.expire(r, at)),
    voteCancel: (id, actor, auth) => apply(id, (r, at) => machine.voteCancel(r, actor, auth, at)),
    linkRetry: (id, retryId, actor) => apply(id, (r, at) => machine.linkRetry(r, retryId, actor, at)),
  };
}

export interface World {
  deps: ApprovalDeps;
  bolt: FakeBolt;
  store: ReturnType<typeof memoryApprovals>;
  audited: AuditEntry[];
  queued: string[];
  woken: string[];
  cards: Map<string, RequestMessageRef>;
}

export interface WorldOptions {
  failEnqueue?: boolean;
  people?: Record<string, Partial<SlackUserFacts>>;
  /** Slack's answers by method, over the world's defaults (e.g. a views.open that fails). */
  slack?: Record<string, (args: Record<string, unknown>) => unknown>;
}

export function world(opts: WorldOptions = {}): World {
  const roles = { operators: [USERS.requester], approvers: [USERS.approver1, USERS.approver2] };
  const config = parseConfig(
    {
      redis: { prefix: '{certops-unit}' },
      slack: { mode: 'http', defaultChannel: CHANNEL, roles },
      clusters: [{ name: 'prod', kubeconfig: '/unused', channel: CHANNEL, kubeadm: { enabled: true } }],
    },
    'certops.yaml',
    {},
  );
  const bolt = fakeBolt({
    'chat.postMessage': (args) => ({ ok: true, channel: args.channel, ts: CARD_TS }),
    'chat.getPermalink': (args) => ({
      ok: true,
      permalink: `https://certops.slack.test/archives/${String(args.channel)}/p${String(args.message_ts)}`,
    }),
    'conversations.open': (args) => ({ ok: true, channel: { id: `D${String(args.users)}` } }),
    ...opts.slack,
  });
  const store = memoryApprovals(() => NOW);
  const audited: AuditEntry[] = [];
  const once = new Set<string>();
  const record = (entry: AuditEntry): AuditRecord => ({ ...entry, id: `${audited.length}-0`, at: NOW.toISOString() });
  const queued: string[] = [];
  const woken: string[] = [];
  const cards = new Map<string, RequestMessageRef>();
  const directory = fakeDirectory(roles, { [USERS.guest]: { isRestricted: true }, ...opts.people });
  const deps: ApprovalDeps = {
    config,
    slack: bolt.client,
    notifier: new Notifier(bolt.client, { logger: silentLogger(), minIntervalMs: 0 }),
    approvals: store,
    audit: {
      append: (entry) => {
        audited.push(entry);
        return Promise.resolve(record(entry));
      },
      appendOnce: (key, entry) => {
        if (once.has(key)) return Promise.resolve(undefined);
        once.add(key);
        audited.push(entry);
        return Promise.resolve(record(entry));
      },
    },
    directory: { authorise: directory.authorise, groupMembers: () => Promise.resolve(new Map()) },
    executor: {
      enqueue: (request) => {
        if (opts.failEnqueue) return Promise.reject(new Error('queue unreachable'));
        queued.push(request.id);
        return Promise.resolve();
      },
      wake: (request) => {
        woken.push(request.id);
        return Promise.resolve();
      },
    },
    requestMessages: {
      get: (id) => Promise.resolve(cards.get(id)),
      put: (id, ref) => {
        cards.set(id, ref);
        return Promise.resolve();
      },
    },
    now: () => NOW,
    logger: silentLogger(),
  };
  return { deps, bolt, store, audited, queued, woken, cards };
}

/** A request opened through the real service, as if from the form; the world's record of calls is then cleared. */
export async function openRequest(w: World, choice: Partial<RotateChoice> = {}): Promise<ApprovalRequest> {
  const created = await createRotationRequest(w.deps, USERS.requester, {
    cluster: 'prod',
    operation: 'kubeadm-renew',
    reason: 'apiserver cert expires in 5 days',
    params: { certificates: ['all'] },
    ...choice,
  });
  if (!created.ok) throw new Error(created.message);
  w.bolt.calls.length = 0;
  w.audited.length = 0;
  return created.request;
}

/** A click on a message button, as Bolt hands it to a listener, with the world's fakes. */
export function click(
  w: World,
  userId: string,
  actionId: string,
  value: string | undefined,
  where: { channel?: string; ts?: string } = { channel: CHANNEL, ts: CARD_TS },
): ActionArgs<ButtonAction> {
  const body = { ...clickBody(userId, where), actions: [] } as unknown as BlockAction<ButtonAction>;
  const action = {
    type: 'button',
    action_id: actionId,
    block_id: 'b',
    action_ts: '1',
    text: { type: 'plain_text', text: actionId },
    ...(value === undefined ? {} : { value }),
  } as ButtonAction;
  return {
    ack: w.bolt.ack,
    respond: w.bolt.respond,
    client: w.bolt.client,
    body,
    action,
  } as unknown as ActionArgs<ButtonAction>;
}

/** A modal submission with the given `state.values` and private metadata. */
export function submit(
  w: World,
  userId: string,
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  privateMetadata = '',
): ViewArgs {
  const view = {
    id: 'V0FORM',
    hash: 'h1',
    callback_id: callbackId,
    private_metadata: privateMetadata,
    state: { values },
    blocks: [],
  };
  const body = {
    type: 'view_submission',
    user: { id: userId, name: userId.toLowerCase(), team_id: 'T0CERTOPS' },
    team: { id: 'T0CERTOPS' },
    view,
  };
  return { ack: w.bolt.ack, client: w.bolt.client, body, view } as unknown as ViewArgs;
}

/** `/certs <args…>` typed by `userId` in the platform channel. */
export function slash(w: World, userId: string, args: string[]): SubcommandContext {
  const command = {
    command: '/certs',
    text: args.join(' '),
    user_id: userId,
    user_name: userId.toLowerCase(),
    channel_id: CHANNEL,
    team_id: 'T0CERTOPS',
    trigger_id: 'trigger-1',
    response_url: 'https://hooks.slack.test/commands/1',
  } as unknown as SlashCommand;
  return {
    command,
    args,
    client: w.bolt.client,
    respond: w.bolt.respond as unknown as SubcommandContext['respond'],
    logger: silentLogger(),
  };
}

/** Every call the world's client received for `method`, in order. */
export function callsOf(w: World, method: string): Record<string, unknown>[] {
  return w.bolt.calls.filter((c) => c.method === method).map((c) => c.args);
}

/** The text of every ephemeral answer (chat.postEphemeral) the listener gave. */
export function ephemerals(w: World): string[] {
  return callsOf(w, 'chat.postEphemeral').map((a) => String(a.text ?? ''));
}
