import { createHash } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { REPAIR_GRACE_MS, repairApprovals } from '../../../src/approvals/approval-repair';
import { castVote } from '../../../src/approvals/cast-vote';
import { createRotationRequest } from '../../../src/approvals/create-request';
import { cancelRequest, expireRequest, rejectRequest } from '../../../src/approvals/decide-request';
import { parseConfig } from '../../../src/config/load';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { createQueues, type CertopsQueues } from '../../../src/queue/queues';
import { SlackSim } from '../../../src/sandbox/slack';
import { createBotContext, type BotContext } from '../../../src/service/bot-context';
import { COMPARE_AND_SET_APPROVAL, CREATE_APPROVAL } from '../../../src/state/approval-scripts';
import { connectRedis } from '../../../src/state/redis-connection';
import { approvalCardText } from '../../../src/approvals/blocks/approval-card';
import { silentLogger } from '../../../src/util/logger';
import {
  replyDroppingProxy,
  scriptCall,
  type CommandMatcher,
  type ReplyDroppingProxy,
} from '../../helpers/reply-dropping-proxy';
import { quietSlackLogger } from '../../sandbox/slack/quiet-logger';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const CHANNEL = 'C0LOSTREPLY';
const USERS = {
  requester: { id: 'U0REQUESTER', name: 'rita' },
  alice: { id: 'U0APPROVER1', name: 'alice' },
  bob: { id: 'U0APPROVER2', name: 'bob' },
} as const;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const createCall = () => scriptCall(sha1(CREATE_APPROVAL), "redis.call('EXISTS', KEYS[4])");
const transitionOf = (requestId: string) =>
  scriptCall(sha1(COMPARE_AND_SET_APPROVAL), "redis.call('EXISTS', KEYS[7])", requestId);
/** BullMQ's add script for the request's job: the job id is the request id. */
const enqueueOf =
  (requestId: string): CommandMatcher =>
  (sent) => {
    const text = sent.toString('latin1');
    return /\beval(sha)?\b/i.test(text) && text.includes(':rotations:wait') && text.includes(requestId);
  };
/** The XADD of one audit fact about the request. */
const auditOf =
  (requestId: string, type: string): CommandMatcher =>
  (sent) => {
    const text = sent.toString('latin1');
    return text.includes(requestId) && text.includes(':audit') && text.includes(`\r\n${type}\r\n`);
  };

describe('a reply lost after Redis ran a request-changing command', () => {
  let slack: SlackSim;
  let redis: TestRedis;
  let proxy: ReplyDroppingProxy;
  let ctx: BotContext;
  let queues: CertopsQueues;
  let now = new Date();

  beforeAll(async () => {
    slack = await SlackSim.start({ rateLimit: { enabled: false } });
    slack.addChannel({ id: CHANNEL, name: 'platform-ops' });
    for (const user of Object.values(USERS)) slack.addUser({ ...user });
    redis = await openTestRedis('lost-replies');
    proxy = await replyDroppingProxy({
      port: Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379),
    });
    const config = parseConfig(
      {
        redis: { prefix: redis.prefix },
        slack: {
          mode: 'http',
          defaultChannel: CHANNEL,
          roles: { operators: [USERS.requester.id], approvers: [USERS.alice.id, USERS.bob.id] },
        },
        clusters: [{ name: 'prod', kubeconfig: '/unused', channel: CHANNEL, kubeadm: { enabled: true } }],
      },
      'certops.yaml',
      {},
    );
    // The bot talks to Redis through the proxy; the test reads what Redis holds over its own connection.
    const throughProxy = await connectRedis(config.redis, silentLogger(), { env: { REDIS_URL: proxy.url } });
    const web = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietSlackLogger(),
    });
    ctx = createBotContext({
      config,
      logger: silentLogger(),
      redis: throughProxy,
      metrics: new Registry(),
      slack: web,
      now: () => now,
    });
    queues = createQueues(redis.redis as Redis, redis.prefix);
  });

  afterAll(async () => {
    await ctx.executor.close();
    await queues.close();
    await ctx.redis.quit();
    await proxy.close();
    await slack.stop();
    await redis.cleanup();
  });

  beforeEach(() => {
    now = new Date();
  });
  afterEach(() => proxy.disarm());

  async function open(): Promise<ApprovalRequest> {
    const created = await createRotationRequest(ctx, USERS.requester.id, {
      cluster: 'prod',
      operation: 'kubeadm-renew',
      reason: 'yearly renewal',
    });
    if (!created.ok) throw new Error(`could not open a request: ${created.message}`);
    return created.request;
  }

  async function auditTypes(requestId: string): Promise<string[]> {
    return (await ctx.audit.latest(100))
      .filter((e) => e.requestId === requestId)
      .map((e) => e.type)
      .sort();
  }

  async function jobsOf(requestId: string): Promise<number> {
    const jobs = await queues.rotations.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
    return jobs.filter((j) => (j.data as { requestId?: string }).requestId === requestId).length;
  }

  function cardOf(requestId: string): string | undefined {
    return slack.messages(CHANNEL).find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(requestId))?.text;
  }

  /** Runs the action with the proxy armed, and checks that the cut really happened at that command. */
  async function withLostReply<T>(matcher: CommandMatcher, action: () => Promise<T>): Promise<T> {
    const cut = proxy.arm(matcher);
    const answer = await action();
    expect(proxy.armed).toBe(false);
    expect((await cut).droppedReply.length).toBeGreaterThan(0);
    return answer;
  }

  type Case = {
    name: string;
    /** Brings a request to the state just before the step, with nothing cut. */
    prepare: () => Promise<string | undefined>;
    cutAt: (requestId: string | undefined) => CommandMatcher;
    step: (
      requestId: string | undefined,
    ) => Promise<{ ok: boolean; message?: string; request?: ApprovalRequest; becameApproved?: boolean }>;
    status: ApprovalRequest['status'];
    votes: number;
    audit: string[];
    jobs: number;
    /** Also true of the answer the person got. */
    answer?: (answer: { becameApproved?: boolean }) => void;
  };

  const votedOnce = async () => {
    const request = await open();
    const first = await castVote(ctx, request.id, USERS.alice.id);
    if (!first.ok) throw new Error(first.message);
    return request.id;
  };

  const cases: Case[] = [
    {
      name: 'create',
      prepare: () => Promise.resolve(undefined),
      cutAt: () => createCall(),
      step: () =>
        createRotationRequest(ctx, USERS.requester.id, {
          cluster: 'prod',
          operation: 'kubeadm-renew',
          reason: 'yearly renewal',
        }),
      status: 'pending',
      votes: 0,
      audit: ['request'],
      jobs: 0,
    },
    {
      name: 'the first vote',
      prepare: async () => (await open()).id,
      cutAt: (id) => transitionOf(id as string),
      step: (id) => castVote(ctx, id as string, USERS.alice.id),
      status: 'pending',
      votes: 1,
      audit: ['request', 'vote'],
      jobs: 0,
      answer: (a) => expect(a.becameApproved).toBe(false),
    },
    {
      name: 'the completing vote',
      prepare: votedOnce,
      cutAt: (id) => transitionOf(id as string),
      step: (id) => castVote(ctx, id as string, USERS.bob.id),
      status: 'approved',
      votes: 2,
      audit: ['approved', 'request', 'vote', 'vote'],
      jobs: 1,
      answer: (a) => expect(a.becameApproved).toBe(true),
    },
    {
      name: 'the enqueue of the approved job',
      prepare: votedOnce,
      cutAt: (id) => enqueueOf(id as string),
      step: (id) => castVote(ctx, id as string, USERS.bob.id),
      status: 'approved',
      votes: 2,
      audit: ['approved', 'request', 'vote', 'vote'],
      jobs: 1,
      answer: (a) => expect(a.becameApproved).toBe(true),
    },
    {
      name: 'the audit entry of a vote',
      prepare: async () => (await open()).id,
      cutAt: (id) => auditOf(id as string, 'vote'),
      step: (id) => castVote(ctx, id as string, USERS.alice.id),
      status: 'pending',
      votes: 1,
      audit: ['request', 'vote'],
      jobs: 0,
    },
    {
      name: 'reject',
      prepare: async () => (await open()).id,
      cutAt: (id) => transitionOf(id as string),
      step: (id) => rejectRequest(ctx, id as string, USERS.alice.id, 'not during the freeze'),
      status: 'rejected',
      votes: 0,
      audit: ['rejection', 'request'],
      jobs: 0,
    },
    {
      name: 'cancel',
      prepare: async () => (await open()).id,
      cutAt: (id) => transitionOf(id as string),
      step: (id) => cancelRequest(ctx, id as string, USERS.requester.id),
      status: 'cancelled',
      votes: 0,
      audit: ['cancel', 'request'],
      jobs: 0,
    },
    {
      name: 'expire',
      prepare: async () => {
        const id = (await open()).id;
        now = new Date(now.getTime() + 2 * 3600_000);
        return id;
      },
      cutAt: (id) => transitionOf(id as string),
      step: (id) => expireRequest(ctx, id as string),
      status: 'expired',
      votes: 0,
      audit: ['expiry', 'request'],
      jobs: 0,
    },
  ];

  it.each(cases)(
    'at $name: stored once, answered as if nothing was lost, audited once, queued once, card drawn from the store',
    async (c) => {
      const prepared = await c.prepare();
      const connectionsBefore = proxy.connections;
      const answer = await withLostReply(c.cutAt(prepared), () => c.step(prepared));
      // The bot did reconnect: the command was answered over a new connection.
      expect(proxy.connections).toBeGreaterThan(connectionsBefore);
      expect(answer.ok ? undefined : answer.message).toBeUndefined();
      c.answer?.(answer);
      const id = prepared ?? (answer.request as ApprovalRequest).id;
      const stored = await ctx.approvals.get(id);
      expect(stored?.status).toBe(c.status);
      expect(stored?.votes).toHaveLength(c.votes);
      expect(await auditTypes(id)).toEqual(c.audit);
      expect(await jobsOf(id)).toBe(c.jobs);
      // The cluster notifies by mention (the default), so the card text names who may still approve.
      expect(cardOf(id)).toBe(approvalCardText(stored as ApprovalRequest, true));
    },
  );

  describe('the repair task, after a bot died between recording a vote and what follows it', () => {
    const approverAuth = (userId: string) => ({
      userId,
      canRequest: false,
      canApproveDangerous: true,
      canApproveLowRisk: true,
      canRead: true,
      reasons: [],
    });
    const actor = (u: { id: string; name: string }) => ({ id: u.id, name: u.name });
    const noticesTo = (requestId: string) => {
      const card = slack.messages(CHANNEL).find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(requestId));
      return card ? slack.thread(CHANNEL, card.ts).filter((m) => m.ts !== card.ts).length : 0;
    };

    it('queues the job of a request left approved, audits its votes and the approval once, and redraws its card', async () => {
      const id = await votedOnce();
      // Only the store's write happened: no audit entry, no job, no card edit.
      const voted = await ctx.approvals.vote(id, actor(USERS.bob), approverAuth(USERS.bob.id));
      expect(voted).toMatchObject({ ok: true, becameApproved: true });
      expect(await jobsOf(id)).toBe(0);

      // A click still finishing its own work is left to it.
      expect(await repairApprovals(ctx)).toEqual({ finished: 0, failed: 0 });
      expect(await jobsOf(id)).toBe(0);
      now = new Date(now.getTime() + REPAIR_GRACE_MS + 1000);
      expect(await repairApprovals(ctx)).toEqual({ finished: 1, failed: 0 });
      expect(await repairApprovals(ctx)).toEqual({ finished: 0, failed: 0 });
      const stored = (await ctx.approvals.get(id)) as ApprovalRequest;
      expect(stored.status).toBe('approved');
      expect(await jobsOf(id)).toBe(1);
      expect(await auditTypes(id)).toEqual(['approved', 'request', 'vote', 'vote']);
      expect(cardOf(id)).toBe(approvalCardText(stored, true));
      expect(noticesTo(id)).toBe(1);
      // A later click finds it done and adds nothing.
      const late = await castVote(ctx, id, USERS.bob.id);
      expect(late.ok).toBe(false);
      expect(await auditTypes(id)).toEqual(['approved', 'request', 'vote', 'vote', 'vote-refused']);
      expect(await jobsOf(id)).toBe(1);
    });

    it('audits a first vote the store holds and the trail lacks, once', async () => {
      const id = (await open()).id;
      expect(await ctx.approvals.vote(id, actor(USERS.alice), approverAuth(USERS.alice.id))).toMatchObject({
        ok: true,
        becameApproved: false,
      });
      await repairApprovals(ctx);
      expect(await auditTypes(id)).toEqual(['request']);
      now = new Date(now.getTime() + REPAIR_GRACE_MS + 1000);
      await repairApprovals(ctx);
      await repairApprovals(ctx);
      expect(await auditTypes(id)).toEqual(['request', 'vote']);
      expect(await jobsOf(id)).toBe(0);
    });
  });
});
