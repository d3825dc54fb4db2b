import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sandboxEnvironment, startSimulators, type Simulators } from '../../../src/sandbox/harness/simulators';
import { ActionIds } from '../../../src/slack/ids';
import { AuditLog } from '../../../src/state/audit-log';
import { silentLogger } from '../../../src/util/logger';
import { cardRequestId, cardText } from '../../helpers/approval-cards';
import { startCertops, type CertopsProcess } from '../../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS } from '../../helpers/e2e-stack';
import { until } from '../../helpers/redis-servers';
import {
  addNode,
  adminCsrApi,
  buttonValue,
  hasCondition,
  messageText,
  nodeCsrApi,
  PROVEN_NODE_NAMES,
  servingCsr,
} from '../../e2e/csr-helpers';

const TUNING = { pollIntervalMs: 50, progressIntervalMs: 200, backoffBaseMs: 50, busyRetryMs: 200 };

// Two bot replicas (HTTP mode, so a test can send each click to the replica of its choice) and three workers
// of the real binary share one Redis: one leader posts, every click counts once whichever replica takes it,
// every approved job runs on exactly one worker.
describe('two bots and three workers on one Redis', () => {
  let sims: Simulators;
  let prefix: string;
  const bots: CertopsProcess[] = [];
  const workers: CertopsProcess[] = [];
  const driverOf = (bot: CertopsProcess) => sims.slack.driver({ requestUrl: `${bot.baseUrl}/slack/events` });
  const bot = (n: number) => driverOf(bots[n % bots.length] as CertopsProcess);
  const topLevel = () => sims.slack.messages(OPS_CHANNEL).filter((m) => !m.thread_ts);

  beforeAll(async () => {
    sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
    sims.slack.addChannel({ id: OPS_CHANNEL, name: 'platform-ops' });
    for (const user of Object.values(USERS)) sims.slack.addUser({ ...user });
    sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [USERS.approver2.id] });
    sims.azure.addCluster({
      resourceGroup: 'rg-sim',
      name: 'sim-aks',
      kubeconfig: () => sims.kube.kubeconfig(),
      onRotateCertificates: () => sims.kube.rotateCa(),
    });
    prefix = `{e2e-replicas-${randomBytes(4).toString('hex')}}`;
    const config = {
      slack: {
        mode: 'http',
        defaultChannel: OPS_CHANNEL,
        roles: { operators: [USERS.requester.id], approvers: [USERS.approver1.id, '@platform-leads'] },
      },
      redis: { url: REDIS_URL, prefix },
      // Node names and addresses proven by configuration; nobody stands behind system:nodes, so two approvers.
      csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' },
      identities: { groups: { 'system:nodes': [] } },
      clusters: [
        {
          name: 'sim',
          kubeconfig: sims.kubeconfigPath,
          channel: OPS_CHANNEL,
          aks: {
            subscriptionId: sims.azure.subscriptionId,
            resourceGroup: 'rg-sim',
            name: 'sim-aks',
            armEndpoint: sims.azure.armEndpoint,
          },
        },
      ],
    };
    const env = { ...sandboxEnvironment(sims), REDIS_URL, CERTOPS_WORKER_TUNING: JSON.stringify(TUNING) };
    const launch = (role: 'bot' | 'worker') => startCertops({ config, env, role, timeoutMs: 90_000 });
    // One after the other: five processes starting at once on a busy machine take longer than one at a time.
    for (const role of ['bot', 'bot', 'worker', 'worker', 'worker'] as const)
      (role === 'bot' ? bots : workers).push(await launch(role));
  }, 400_000);

  afterAll(async () => {
    for (const proc of [...bots, ...workers]) await proc.stop();
    await sims?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('posts each CSR once, and issues it whichever bot takes each approver’s click', async () => {
    addNode(sims.kube, 'worker-rep', '10.0.0.9');
    const kubelet = nodeCsrApi(sims.kube, 'worker-rep');
    const names = ['rep-csr-1', 'rep-csr-2', 'rep-csr-3'];
    const cardsOf = (name: string) => topLevel().filter((m) => messageText(m).includes(`CSR ${name} on sim`));
    for (const [n, name] of names.entries()) {
      // High risk (an IP outside the proven prefix, not the node's): two approvers, one through each bot.
      await kubelet.createCertificateSigningRequest({
        body: await servingCsr(name, 'worker-rep', ['10.0.0.9', '10.9.9.9']),
      });
      const card = await sims.slack.waitFor(() => cardsOf(name)[0], { timeoutMs: 30_000 });
      const value = buttonValue(card, ActionIds.approveCsr);
      await bot(n).blockAction({
        userId: USERS.approver1.id,
        channelId: OPS_CHANNEL,
        messageTs: card.ts,
        actionId: ActionIds.approveCsr,
        value,
      });
      await sims.slack.waitFor(() => (messageText(cardsOf(name)[0]).includes('1 of 2') ? true : undefined), {
        timeoutMs: 30_000,
      });
      await bot(n + 1).blockAction({
        userId: USERS.approver2.id,
        channelId: OPS_CHANNEL,
        messageTs: card.ts,
        actionId: ActionIds.approveCsr,
        value,
      });
      await sims.slack.waitFor(() => (messageText(cardsOf(name)[0]).includes('Issued') ? true : undefined), {
        timeoutMs: 30_000,
      });
    }
    for (const name of names) {
      expect(cardsOf(name)).toHaveLength(1);
      expect(hasCondition(await adminCsrApi(sims.kube).readCertificateSigningRequest({ name }), 'Approved')).toBe(true);
    }
  });

  it('runs each approved re-encryption on exactly one of the three workers', async () => {
    for (const namespace of ['rep-a', 'rep-b']) {
      sims.kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < 50; i++)
        sims.kube.store.secrets.create({
          metadata: { name: `s-${i}`, namespace },
          type: 'Opaque',
          data: { v: Buffer.from(`${i}`).toString('base64') },
        });
    }
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      const reason = `replicas-reencrypt-${n}`;
      await bot(n).slashCommand({
        userId: USERS.requester.id,
        channelId: OPS_CHANNEL,
        text: `rotate reencrypt-secrets sim ${reason}`,
      });
      const card = await sims.slack.waitFor(() => topLevel().find((m) => cardText(m).includes(reason)), {
        timeoutMs: 30_000,
      });
      // The approver's click reaches both bots at once, as a retried delivery would.
      await Promise.all(
        [0, 1].map((b) =>
          bot(b).blockAction({
            userId: USERS.approver1.id,
            channelId: OPS_CHANNEL,
            messageTs: card.ts,
            actionId: ActionIds.approveRequest,
            value: cardRequestId(card),
          }),
        ),
      );
      ids.push(cardRequestId(card) as string);
    }
    for (const id of ids)
      await sims.slack.waitFor(
        () => (topLevel().some((m) => cardText(m).includes(id) && cardText(m).includes('— done')) ? true : undefined),
        { timeoutMs: 45_000 },
      );

    const redis = new Redis(REDIS_URL);
    try {
      const audit = new AuditLog(redis, { prefix, logger: silentLogger(), retentionSeconds: 86400 });
      const entries = await audit.latest(1000);
      for (const id of ids) {
        expect(entries.filter((e) => e.requestId === id && e.type === 'execution-outcome')).toHaveLength(1);
        expect(entries.filter((e) => e.requestId === id && e.type === 'vote')).toHaveLength(1);
      }
    } finally {
      await redis.quit();
    }
  });

  it('counts a two-person vote once per approver across both bots and rotates once', async () => {
    const reason = 'replicas-aks-story';
    await bot(0).slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: `rotate aks-rotate-certs sim ${reason} --confirm sim`,
    });
    const card = await sims.slack.waitFor(() => topLevel().find((m) => cardText(m).includes(reason)), {
      timeoutMs: 30_000,
    });
    const value = cardRequestId(card);
    const click = (b: number, userId: string) =>
      bot(b).blockAction({
        userId,
        channelId: OPS_CHANNEL,
        messageTs: card.ts,
        actionId: ActionIds.approveRequest,
        value,
      });
    await Promise.all([click(0, USERS.approver1.id), click(1, USERS.approver1.id)]);
    await sims.slack.waitFor(
      () => (cardText(topLevel().find((m) => m.ts === card.ts)!).includes('1 of 2') ? true : undefined),
      { timeoutMs: 30_000 },
    );
    expect(sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(0);

    await Promise.all([click(1, USERS.approver2.id), click(0, USERS.approver2.id)]);
    await sims.slack.waitFor(
      () => (cardText(topLevel().find((m) => m.ts === card.ts)!).includes('— done') ? true : undefined),
      { timeoutMs: 45_000 },
    );
    expect(sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);
    const redis = new Redis(REDIS_URL);
    try {
      const audit = new AuditLog(redis, { prefix, logger: silentLogger(), retentionSeconds: 86400 });
      const entries = await until(async () => {
        const found = (await audit.latest(1000)).filter((e) => e.requestId === value);
        return found.some((e) => e.type === 'execution-outcome') ? found : undefined;
      }, 'the outcome audited');
      expect(entries.filter((e) => e.type === 'execution-outcome')).toHaveLength(1);
      expect(
        entries
          .filter((e) => e.type === 'vote')
          .map((e) => e.actor?.id)
          .sort(),
      ).toEqual([USERS.approver1.id, USERS.approver2.id].sort());
    } finally {
      await redis.quit();
    }
  });
});
