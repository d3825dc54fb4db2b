import { Redis } from 'ioredis';
import { AuditLog } from '../../src/state/audit-log';
import { silentLogger } from '../../src/util/logger';
import { ActionIds } from '../../src/slack/ids';
import { cardText, click, findCard, requestRotation, waitForEphemeral } from '../helpers/approval-cards';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';

const NODES = ['cp-1', 'cp-2'];
const WAIT = { timeoutMs: 20_000 };

const checkExpiration = [
  'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
  'apiserver                  Nov 23, 2027 12:00 UTC   364d            ca                      no',
].join('\n');

/** Per node: hold its renewal Job until released, or make it fail. */
interface NodePlan {
  hold?: Promise<void>;
  fail?: boolean;
}

// A kubeadm renewal (two control-plane nodes, one step each) run by the real binary: its card follows the job, and
// people stop it between nodes or retry it from the card.
describe('a request card shows its job, and people stop or retry it from there', () => {
  let stack: E2eStack;
  let plans: Record<string, NodePlan>;
  let started: string[];

  beforeAll(async () => {
    stack = await startE2eStack({
      config: (sims) => ({
        clusters: [
          {
            name: 'sim',
            kubeconfig: sims.kubeconfigPath,
            channel: OPS_CHANNEL,
            kubeadm: { enabled: true },
            notifyApprovers: ['mention', 'dm'],
          },
        ],
      }),
      env: {
        CERTOPS_WORKER_TUNING: JSON.stringify({
          pollIntervalMs: 50,
          progressIntervalMs: 0,
          backoffBaseMs: 4000,
          busyRetryMs: 200,
        }),
      },
    });
    for (const name of NODES)
      stack.sims.kube.store.nodes.create({
        metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } },
      });
    stack.sims.kube.jobScript((job) => {
      // The expiry scan reads the same nodes through Jobs of its own: only renewals follow the plan.
      if (!job.metadata.name?.startsWith('certops-renew-')) return { succeed: true, log: '' };
      const node = String(job.spec?.template?.spec?.nodeName ?? '?');
      started.push(node);
      const plan = plans[node] ?? {};
      const until = plan.hold ? { until: plan.hold } : {};
      if (plan.fail)
        return { succeed: false, log: 'error: failed to renew apiserver certificate: permission denied', ...until };
      return { succeed: true, log: checkExpiration, ...until };
    });
  });
  beforeEach(() => {
    plans = {};
    started = [];
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const card = (reason: string) => findCard(stack, reason)!;
  // On a timeout the error shows the card as it was, which says more than the timeout.
  const cardSays = (reason: string, words: string) =>
    stack.sims.slack
      .waitFor(() => (cardText(card(reason)).includes(words) ? card(reason) : undefined), WAIT)
      .catch((err: Error) => {
        throw new Error(`${err.message}: no "${words}" on the card: ${cardText(card(reason))}`);
      });
  const buttonsOf = (reason: string) =>
    card(reason).blocks.flatMap((b) =>
      ((b.elements as Array<{ action_id?: string }> | undefined) ?? []).map((e) => e.action_id).filter(Boolean),
    );

  async function approvedRenewal(reason: string) {
    const requested = await requestRotation(stack, 'kubeadm-renew', reason);
    await click(stack, USERS.approver1.id, requested.card);
    await cardSays(reason, '1 of 2');
    await click(stack, USERS.approver2.id, requested.card);
    return requested;
  }

  function held(): { hold: Promise<void>; release: () => void } {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    return { hold, release };
  }

  async function auditOf(requestId: string) {
    const redis = new Redis(REDIS_URL);
    try {
      const latest = await new AuditLog(redis, {
        prefix: stack.prefix,
        logger: silentLogger(),
        retentionSeconds: 86400,
      }).latest(500);
      return latest.filter((e) => e.requestId === requestId).reverse();
    } finally {
      await redis.quit();
    }
  }

  it('shows the running step, a retry with its cause and next try, then the failure with what to do and Retry', async () => {
    const second = held();
    plans = { 'cp-2': { hold: second.hold, fail: true } };
    // The first attempt cannot read cp-1's pod: a retry, shown with its cause.
    stack.sims.kube.faults.failNext(1, /\/pods\?.*certops-renew-cp-1-/, 503);
    const { id } = await approvedRenewal('job-states-story');

    const retrying = await cardSays('job-states-story', '— retrying');
    expect(cardText(retrying)).toMatch(/Attempt 1 failed: `listing pods of certops-renew-cp-1-[^`]*503/);
    expect(cardText(retrying)).toContain('Next try <!date^');
    expect(buttonsOf('job-states-story')).toEqual([ActionIds.cancelJob]);

    await cardSays('job-states-story', 'Running step 2 of 2: `renewing certificates on cp-2`');
    expect(cardText(card('job-states-story'))).not.toContain('Attempt 1 failed');
    second.release();

    const failed = await cardSays('job-states-story', '— failed');
    expect(cardText(failed)).toContain('cp-2');
    expect(cardText(failed)).toContain('press *Retry*');
    expect(buttonsOf('job-states-story')).toEqual([ActionIds.retryRequest]);

    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'jobs' });
    const listed = await waitForEphemeral(stack, USERS.operator.id, new RegExp(id));
    expect(listed).toMatch(
      new RegExp(`<[^|>]+/archives/${OPS_CHANNEL}/p[0-9]+\\|\`${id}\`> \\*kubeadm-renew\\* on \\*sim\\* · :x: failed`),
    );
  });

  it('stops between nodes once two people cancel, refuses and audits a cancel by someone without a role, and Retry opens a fresh linked request', async () => {
    const first = held();
    plans = { 'cp-1': { hold: first.hold } };
    const { card: posted, id } = await approvedRenewal('cancel-story');
    await cardSays('cancel-story', 'Running step 1 of 2: `renewing certificates on cp-1`');

    await click(stack, USERS.outsider.id, posted, ActionIds.cancelJob);
    await waitForEphemeral(stack, USERS.outsider.id, /may not cancel the kubeadm-renew job on sim/);

    await click(stack, USERS.requester.id, posted, ActionIds.cancelJob);
    await cardSays('cancel-story', `<@${USERS.requester.id}> asked to cancel (1 of 2)`);
    await waitForEphemeral(stack, USERS.requester.id, /another authorised person must confirm/);
    await click(stack, USERS.requester.id, posted, ActionIds.cancelJob);
    await waitForEphemeral(stack, USERS.requester.id, /You already asked to cancel this job/);

    await click(stack, USERS.approver1.id, posted, ActionIds.cancelJob);
    await cardSays('cancel-story', `Cancelling, confirmed by <@${USERS.requester.id}> and <@${USERS.approver1.id}>`);
    // The step in progress finishes; the next node is never touched.
    first.release();
    const cancelled = await cardSays(
      'cancel-story',
      `Job cancelled by <@${USERS.requester.id}> and <@${USERS.approver1.id}> after \`renewing certificates on cp-1\``,
    );
    expect(cardText(cancelled)).toContain('— cancelled');
    expect(started).toEqual(['cp-1']);
    expect(
      stack.sims.kube.store.jobs
        .list()
        .filter((j) => JSON.stringify(j).includes(id))
        .map((j) => j.spec?.template?.spec?.nodeName),
    ).toEqual(['cp-1']);
    expect(buttonsOf('cancel-story')).toEqual([ActionIds.retryRequest]);

    const audit = await auditOf(id);
    expect(audit.filter((e) => e.type === 'job-cancel-refused').map((e) => e.actor?.id)).toEqual([
      USERS.outsider.id,
      USERS.requester.id,
    ]);
    expect(audit.filter((e) => e.type === 'job-cancel').map((e) => `${e.actor?.name}: ${e.outcome}`)).toEqual([
      'rita: asked: 1 of 2',
      'alice: confirmed: it stops at its next step boundary',
    ]);
    expect(audit.find((e) => e.type === 'execution-outcome')?.outcome).toMatch(/^cancelled/);

    await click(stack, USERS.operator.id, cancelled, ActionIds.retryRequest);
    const retryCard = () =>
      stack.sims.slack
        .messages(OPS_CHANNEL)
        .find((m) => !m.thread_ts && m.ts !== posted.ts && cardText(m).includes('cancel-story'));
    const fresh = await stack.sims.slack.waitFor(() => {
      const shown = retryCard();
      return shown && /Retry of request <[^|>]+\|`R/.test(cardText(shown)) ? shown : undefined;
    }, WAIT);
    expect(cardText(fresh)).toContain(`Retry of request <`);
    expect(cardText(fresh)).toContain(`\`${id}\`>`);
    expect(cardText(fresh)).toContain('0 of 2 approvals');
    expect(cardText(fresh)).toContain(`<@${USERS.operator.id}>`);
    const freshId = /Request `(R[0-9A-Z]+)`/.exec(cardText(fresh))?.[1];
    expect(freshId).toBeDefined();
    expect(freshId).not.toBe(id);
    const old = await stack.sims.slack.waitFor(
      () =>
        cardText(card('cancel-story')).includes('Retried as request')
          ? stack.sims.slack.messages(OPS_CHANNEL).find((m) => m.ts === posted.ts)
          : undefined,
      WAIT,
    );
    expect(cardText(old)).toContain(`|\`${freshId}\`>`);
    expect(buttonsOf('cancel-story')).toEqual([]);
  });

  it('tells the people who may approve, by mention and direct message with a link to the card, never the requester, and names who may still approve', async () => {
    const { card: posted, id } = await requestRotation(stack, 'kubeadm-renew', 'notify-story');
    expect(posted.text).toContain(`<@${USERS.approver1.id}>`);
    expect(posted.text).toContain(`<@${USERS.approver2.id}>`);
    expect(posted.text).not.toContain(`<@${USERS.requester.id}>`);
    expect(cardText(posted)).toContain(`<@${USERS.approver1.id}> and <@${USERS.approver2.id}> may approve`);
    for (const approver of [USERS.approver1, USERS.approver2]) {
      const link = `/p${posted.ts.replace('.', '')}|`;
      const dm = await stack.sims.slack.waitFor(
        () => stack.sims.slack.messages(stack.sims.slack.dmChannel(approver.id)).find((m) => m.text?.includes(link)),
        WAIT,
      );
      expect(dm.text).toMatch(
        new RegExp(`<[^|>]+/archives/${OPS_CHANNEL}/p${posted.ts.replace('.', '')}\\|the request card>`),
      );
      expect(dm.text).toMatch(/^<@U[A-Z0-9]+> asks for kubeadm-renew on sim/);
    }
    // The requester is never told (not even of another person's request they could not approve).
    expect(
      stack.sims.slack
        .messages(stack.sims.slack.dmChannel(USERS.requester.id))
        .filter((m) => m.text?.includes('asks for')),
    ).toEqual([]);
    expect(
      stack.sims.slack
        .messages(stack.sims.slack.dmChannel(USERS.operator.id))
        .filter((m) => m.text?.includes('asks for')),
    ).toEqual([]);
    await click(stack, USERS.approver1.id, posted);
    const after = await cardSays('notify-story', '1 of 2');
    expect(cardText(after)).toContain(`: <@${USERS.approver2.id}> may approve`);
    expect(cardText(after)).not.toContain(`<@${USERS.approver1.id}> and`);
    expect(after.text).toMatch(new RegExp(`· for <@${USERS.approver2.id}>$`));
    expect((await auditOf(id)).find((e) => e.type === 'notify')?.outcome).toBe('direct message to alice, bob');
  });
});
