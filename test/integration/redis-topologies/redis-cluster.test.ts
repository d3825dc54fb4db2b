import { randomBytes } from 'node:crypto';
import { ActionIds } from '../../../src/slack/ids';
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
import { startAksSimStack, type AksSimStack } from '../../helpers/aks-sim-stack';
import { cardText, click, findCard, requestRotation } from '../../helpers/approval-cards';
import { OPS_CHANNEL, USERS, type E2eStack } from '../../helpers/e2e-stack';
import {
  describeWithRedisServer,
  startRedisCluster,
  until,
  type RedisClusterProcesses,
  type RedisServerProcess,
} from '../../helpers/redis-servers';

const TUNING = { pollIntervalMs: 50, progressIntervalMs: 200, backoffBaseMs: 50, busyRetryMs: 200 };
// Node names and addresses proven by configuration, as a kubelet-serving CSR policy needs; no person stands behind
// system:nodes, so a CSR asking for more than that needs the usual two approvers.
const CSR_POLICY = { csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' }, identities: { groups: { 'system:nodes': [] } } };

// The real binary (bot and worker in one process) on a three-master Redis Cluster: every queue, lock, store and
// script of certops runs there, while the slot that holds certops' keys moves between masters.
describeWithRedisServer('redis cluster')('certops on a Redis Cluster of three masters', () => {
  let cluster: RedisClusterProcesses;
  let aks: AksSimStack;
  let stack: E2eStack;
  let slot: number;

  const otherMaster = async (): Promise<RedisServerProcess> => {
    const owner = await cluster.ownerOf(slot);
    return cluster.masters.find((m) => m !== owner) as RedisServerProcess;
  };
  const card = (reason: string) => findCard(stack, reason);

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    aks = await startAksSimStack('cluster', TUNING, {
      redis: { cluster: { nodes: cluster.nodes } },
      startTimeoutMs: 60_000,
      config: CSR_POLICY,
    });
    slot = Number(await (cluster.masters[0] as RedisServerProcess).cli('CLUSTER', 'KEYSLOT', aks.prefix));
    stack = aks.e2e(await aks.launch('all'));
  });

  afterAll(async () => {
    await aks?.stop();
    await cluster?.stop();
  });

  // Before the AKS rotation, which gives the API server a new CA that the bot's watch does not trust yet.
  it('posts a high-risk CSR once and issues it after two approvals with a resharding between them', async () => {
    const { kube, slack } = aks.sims;
    addNode(kube, 'worker-cl', '10.0.0.7');
    // 10.9.9.9 is outside the proven prefix and not the node's: high risk.
    await nodeCsrApi(kube, 'worker-cl').createCertificateSigningRequest({
      body: await servingCsr('cl-csr', 'worker-cl', ['10.0.0.7', '10.9.9.9']),
    });
    const cardsOf = () => slack.messages(OPS_CHANNEL).filter((m) => messageText(m).includes('CSR cl-csr on sim'));
    const posted = await slack.waitFor(() => cardsOf()[0], { timeoutMs: 20_000 });
    const value = buttonValue(posted, ActionIds.approveCsr);
    await stack.driver.blockAction({
      userId: USERS.approver1.id,
      channelId: OPS_CHANNEL,
      messageTs: posted.ts,
      actionId: ActionIds.approveCsr,
      value,
    });
    await slack.waitFor(() => (messageText(cardsOf()[0]).includes('1 of 2') ? true : undefined), { timeoutMs: 20_000 });

    await cluster.moveSlot(slot, await otherMaster());

    await stack.driver.blockAction({
      userId: USERS.approver2.id,
      channelId: OPS_CHANNEL,
      messageTs: posted.ts,
      actionId: ActionIds.approveCsr,
      value,
    });
    await slack.waitFor(() => (messageText(cardsOf()[0]).includes('Issued') ? true : undefined), { timeoutMs: 20_000 });
    expect(hasCondition(await adminCsrApi(kube).readCertificateSigningRequest({ name: 'cl-csr' }), 'Approved')).toBe(
      true,
    );
    expect(cardsOf()).toHaveLength(1);
  });

  it('subscribes a channel to the digest and posts it now, through the digest queue', async () => {
    const { slack } = aks.sims;
    await stack.driver.slashCommand({
      userId: USERS.approver1.id,
      channelId: OPS_CHANNEL,
      text: 'digest subscribe all at 09:00 tz Europe/Zurich',
    });
    await slack.waitFor(() => slack.ephemerals(OPS_CHANNEL, USERS.approver1.id).find((e) => /09:00/.test(e.text)), {
      timeoutMs: 20_000,
    });
    const topLevel = () => slack.messages(OPS_CHANNEL).filter((m) => !m.thread_ts);
    const before = topLevel().length;
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'digest now' });
    await slack.waitFor(() => (topLevel().length === before + 1 ? true : undefined), { timeoutMs: 20_000 });
  });

  it('counts two votes with a resharding between them, runs the rotation once and keeps the whole story in the audit', async () => {
    const { card: posted, id } = await requestRotation(stack, 'aks-rotate-certs', 'cluster-vote-story');
    await click(stack, USERS.approver1.id, posted);
    await stack.sims.slack.waitFor(() => cardText(card('cluster-vote-story')!).includes('1 of 2'));

    const target = await otherMaster();
    expect(await cluster.moveSlot(slot, target)).toBeGreaterThan(0);
    expect(await cluster.ownerOf(slot)).toBe(target);

    await click(stack, USERS.approver2.id, posted);
    await stack.sims.slack.waitFor(() => cardText(card('cluster-vote-story')!).includes('— done'), {
      timeoutMs: 30_000,
    });
    expect(aks.sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);

    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 100 sim' });
    const audit = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .ephemerals(OPS_CHANNEL, USERS.approver1.id)
        .map((e) => JSON.stringify(e.blocks))
        .find((t) => t.includes(id) || /audit entries for sim/.test(t)),
    );
    for (const piece of ['*request*', '*vote*', '*approved*', 'by <@U0APPROVER1>', 'by <@U0APPROVER2>'])
      expect(audit).toContain(piece);
  });

  it('re-encrypts every secret once while the slot moves to another master in the middle of the job', async () => {
    const sims = aks.sims;
    const names: string[] = [];
    for (const namespace of ['cl-a', 'cl-b']) {
      sims.kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < 250; i++) {
        const name = `s-${i}`;
        sims.kube.store.secrets.create({
          metadata: { name, namespace },
          type: 'Opaque',
          data: { v: Buffer.from(randomBytes(4)).toString('base64') },
        });
        names.push(`${namespace}/${name}`);
      }
    }
    sims.kube.encryption.setCurrentKey('cluster-2');
    sims.kube.faults.setLatency(15);
    const stale = () =>
      sims.kube.encryption.secretsNotEncryptedWith('cluster-2').filter((key) => names.includes(key)).length;

    const { card: posted } = await requestRotation(stack, 'reencrypt-secrets', 'cluster-reencrypt-story');
    await click(stack, USERS.approver1.id, posted);
    await until(() => stale() < names.length - 20, 'the job has started rewriting');
    // A slow move, batch by batch: certops meets ASK redirects and TRYAGAIN while keys are split between masters.
    const target = await otherMaster();
    const staleWhenTheMoveStarted = stale();
    await cluster.moveSlot(slot, target, { batch: 2, pauseMs: 30 });
    expect(staleWhenTheMoveStarted).toBeGreaterThan(0);
    expect(await cluster.ownerOf(slot)).toBe(target);

    await stack.sims.slack.waitFor(() => cardText(card('cluster-reencrypt-story')!).includes('— done'), {
      timeoutMs: 45_000,
    });
    sims.kube.faults.setLatency(0);
    expect(stale()).toBe(0);
    const outcomes = stack.sims.slack
      .thread(OPS_CHANNEL, posted.ts)
      .filter((m) => m.thread_ts === posted.ts && /reencrypt-secrets\* on \*sim\* succeeded/.test(m.text ?? ''));
    expect(outcomes).toHaveLength(1);
  });

  it('keeps every key certops wrote in the one slot of its hash tag', async () => {
    const outside: string[] = [];
    let total = 0;
    for (const master of cluster.masters) {
      const keys = (await master.cli('KEYS', '*')).split('\n').filter(Boolean);
      total += keys.length;
      for (const key of keys) if (Number(await master.cli('CLUSTER', 'KEYSLOT', key)) !== slot) outside.push(key);
    }
    expect(total).toBeGreaterThan(10);
    expect(outside).toEqual([]);
  });
});
