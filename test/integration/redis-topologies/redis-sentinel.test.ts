import { randomBytes } from 'node:crypto';
import { startAksSimStack, type AksSimStack } from '../../helpers/aks-sim-stack';
import { cardText, click, findCard, requestRotation } from '../../helpers/approval-cards';
import { OPS_CHANNEL, USERS, type E2eStack } from '../../helpers/e2e-stack';
import {
  describeWithRedisServer,
  startSentinelTopology,
  until,
  type RedisServerProcess,
  type SentinelTopology,
} from '../../helpers/redis-servers';

const TUNING = { pollIntervalMs: 50, progressIntervalMs: 200, backoffBaseMs: 50, busyRetryMs: 200 };

// A master, a replica and three sentinels; certops (bot and worker in one process of the real binary) finds the
// master through the sentinels and follows it when it fails over, by command or because it was killed.
describeWithRedisServer('redis sentinel')('certops behind Redis Sentinel', () => {
  let topology: SentinelTopology;
  let aks: AksSimStack;
  let stack: E2eStack;

  const card = (reason: string) => findCard(stack, reason);
  const other = async (): Promise<RedisServerProcess> => {
    const master = await topology.master();
    return topology.servers.find(
      (s) => s !== master && s.child.exitCode === null && s.child.signalCode === null,
    ) as RedisServerProcess;
  };
  const isReplica = async (server: RedisServerProcess) => /role:slave/.test(await server.cli('INFO', 'replication'));

  beforeAll(async () => {
    topology = await startSentinelTopology();
    aks = await startAksSimStack('sentinel', TUNING, {
      redis: { sentinel: { name: topology.masterName, nodes: topology.sentinelNodes } },
      startTimeoutMs: 60_000,
    });
    stack = aks.e2e(await aks.launch('all'));
  });

  afterAll(async () => {
    await aks?.stop();
    await topology?.stop();
  });

  it('counts a vote cast before SENTINEL FAILOVER and one after it, runs the rotation once, and the audit has every step', async () => {
    const { card: posted, id } = await requestRotation(stack, 'aks-rotate-certs', 'sentinel-vote-story');
    await click(stack, USERS.approver1.id, posted);
    await stack.sims.slack.waitFor(() => cardText(card('sentinel-vote-story')!).includes('1 of 2'));

    await topology.waitForReplicaInSync();
    const oldMaster = await topology.master();
    const promoted = await other();
    await (topology.sentinels[1] as RedisServerProcess).cli('SENTINEL', 'FAILOVER', topology.masterName);
    await topology.waitForMaster(promoted);
    await until(() => isReplica(oldMaster), 'the old master demoted');

    await click(stack, USERS.approver2.id, posted);
    await stack.sims.slack.waitFor(() => cardText(card('sentinel-vote-story')!).includes('— done'), {
      timeoutMs: 30_000,
    });
    expect(aks.sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);

    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 100 sim' });
    const audit = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .ephemerals(OPS_CHANNEL, USERS.approver1.id)
        .map((e) => JSON.stringify(e.blocks))
        .find((t) => /audit entries for sim/.test(t)),
    );
    for (const piece of [
      '*request*',
      '*vote*',
      '*approved*',
      'by <@U0REQUESTER>',
      'by <@U0APPROVER1>',
      'by <@U0APPROVER2>',
      id,
    ])
      expect(audit).toContain(piece);
  });

  it('finishes a re-encryption once after its master is killed with SIGKILL in the middle of it', async () => {
    const sims = aks.sims;
    const names: string[] = [];
    for (const namespace of ['se-a', 'se-b']) {
      sims.kube.store.namespaces.create({ metadata: { name: namespace } });
      for (let i = 0; i < 250; i++) {
        sims.kube.store.secrets.create({
          metadata: { name: `s-${i}`, namespace },
          type: 'Opaque',
          data: { v: Buffer.from(randomBytes(4)).toString('base64') },
        });
        names.push(`${namespace}/s-${i}`);
      }
    }
    sims.kube.encryption.setCurrentKey('sentinel-2');
    sims.kube.faults.setLatency(15);
    const stale = () =>
      sims.kube.encryption.secretsNotEncryptedWith('sentinel-2').filter((key) => names.includes(key)).length;

    // Replication is asynchronous: only what reached the replica survives the kill, so start with it in sync.
    await topology.waitForReplicaInSync();
    const { card: posted, id } = await requestRotation(stack, 'reencrypt-secrets', 'sentinel-reencrypt-story');
    await click(stack, USERS.approver1.id, posted);
    await until(() => stale() < names.length - 20, 'the job has started rewriting');
    const killed = await topology.master();
    const promoted = await other();
    await killed.kill('SIGKILL');
    const staleAtTheKill = stale();
    await topology.waitForMaster(promoted);

    await stack.sims.slack.waitFor(() => cardText(card('sentinel-reencrypt-story')!).includes('— done'), {
      timeoutMs: 45_000,
    });
    sims.kube.faults.setLatency(0);
    expect(staleAtTheKill).toBeGreaterThan(0);
    expect(stale()).toBe(0);
    const outcomes = stack.sims.slack
      .thread(OPS_CHANNEL, posted.ts)
      .filter((m) => m.thread_ts === posted.ts && /reencrypt-secrets\* on \*sim\* succeeded/.test(m.text ?? ''));
    expect(outcomes).toHaveLength(1);

    // The bot answers on the new master too, and the audit holds the request, its approval and one outcome.
    await stack.driver.slashCommand({ userId: USERS.approver2.id, channelId: OPS_CHANNEL, text: 'audit 100 sim' });
    const audit = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .ephemerals(OPS_CHANNEL, USERS.approver2.id)
        .map((e) => JSON.stringify(e.blocks))
        .find((t) => /audit entries for sim/.test(t) && t.includes(id)),
    );
    expect(audit.split(id).length - 1).toBeGreaterThanOrEqual(3);
  });
});
