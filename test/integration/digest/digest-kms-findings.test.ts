import { WebClient } from '@slack/web-api';
import { Notifier } from '../../../src/slack/notifier/notifier';
import type { Queue } from 'bullmq';
import { configSchema } from '../../../src/config/schema';
import { createDigestQueue } from '../../../src/digest/digest-queue';
import { DigestService } from '../../../src/digest/digest-service';
import { digestMessages } from '../../../src/digest/blocks/digest';
import { ApprovalStore } from '../../../src/state/approval-store';
import { KmsRotationHistory } from '../../../src/state/kms-rotation-history';
import { LatestScanStore } from '../../../src/state/latest-scan';
import { NotificationDedupe } from '../../../src/state/notification-dedupe';
import { ReencryptionRecords } from '../../../src/state/reencryption-record';
import { connectRedis, type RedisClient } from '../../../src/state/redis-connection';
import { Subscriptions } from '../../../src/state/subscriptions';
import { silentLogger } from '../../../src/util/logger';
import { NOW, kmsKey, scan } from '../../unit/digest/fixtures';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const KEY = (version: string) => `https://certops.vault.azure.net/keys/etcd/${version}`;

/** The KMS findings as the digest service assembles them: the latest scan, and certops' own records in Redis. */
describe('KMS findings in the digest, from the records certops keeps', () => {
  let state: TestRedis;
  let bullmq: RedisClient;
  let queue: Queue;
  let service: DigestService;
  let history: KmsRotationHistory;
  let reencryptions: ReencryptionRecords;

  beforeAll(async () => {
    state = await openTestRedis('digest-kms');
    bullmq = await connectRedis({ prefix: state.prefix }, silentLogger(), { purpose: 'bullmq' });
    const aks = {
      subscriptionId: 's',
      resourceGroup: 'rg',
      name: 'legacy',
      armEndpoint: 'https://management.azure.com',
    };
    const config = configSchema.parse({
      redis: { prefix: state.prefix },
      clusters: [
        {
          name: 'legacy',
          kubeconfig: '/nonexistent/kubeconfig',
          aks,
          kms: { keyVaultUrl: 'https://certops.vault.azure.net/', keyName: 'etcd' },
        },
      ],
    });
    queue = createDigestQueue(bullmq, state.prefix);
    const latestScans = new LatestScanStore(state.redis, state.prefix, silentLogger());
    const key = kmsKey('legacy', 300, {
      keyId: KEY('v3'),
      version: 'v3',
      kubernetesVersion: '1.26.6',
      enabledVersions: ['v1', 'v2', 'v3'],
    });
    await latestScans.put(scan('legacy', [], [key]), NOW);
    history = new KmsRotationHistory(state.redis, state.prefix, silentLogger());
    reencryptions = new ReencryptionRecords(state.redis, state.prefix, silentLogger());
    service = new DigestService({
      config,
      logger: silentLogger(),
      now: () => NOW,
      slack: new WebClient('xoxb-unused'),
      notifier: new Notifier(new WebClient('xoxb-unused'), { logger: silentLogger() }),
      queue,
      subscriptions: new Subscriptions(state.redis, state.prefix),
      dedupe: new NotificationDedupe(state.redis, state.prefix),
      approvals: new ApprovalStore(state.redis, { prefix: state.prefix }),
      latestScans,
      countPendingCsrs: () => Promise.resolve(0),
      kmsRecords: { history, reencryptions },
    });
  });

  afterAll(async () => {
    await queue?.close();
    await bullmq?.quit();
    await state?.cleanup();
  });

  const text = async () =>
    JSON.stringify(digestMessages(await service.report({ kind: 'all' }, '2025-03-10')).main.blocks);

  it('before certops re-encrypted: every finding, the missing re-encryption among them', async () => {
    for (const version of ['v1', 'v2', 'v3'])
      await history.record('legacy', {
        keyId: KEY(version),
        version,
        rotatedAt: NOW.toISOString(),
        requestId: `r-${version}`,
      });
    const report = await service.report({ kind: 'all' }, '2025-03-10');
    expect(report.kmsFindings.map((f) => [f.code, f.version])).toEqual([
      ['kms-key-version-cached', 'v2'],
      ['kms-key-version-retired', 'v1'],
      ['kms-v1-upgrade-blocked', undefined],
      ['kms-not-reencrypted', 'v3'],
    ]);
    const blocks = await text();
    expect(blocks).toContain('Key version v2 of etcd is still in use by the API server cache');
    expect(blocks).toContain('Key version v1 of etcd is no longer needed (two rotations since)');
    expect(blocks).toContain('Kubernetes 1.26.6 with KMS v1: the upgrade to 1.27 is blocked');
    expect(blocks).toContain('certops has no record of re-encrypting this cluster');
  });

  it('once the re-encryption under the current key is recorded, that finding goes and the others stay', async () => {
    await reencryptions.record('legacy', { at: NOW.toISOString(), keyId: KEY('v3'), requestId: 'r-reencrypt' });
    const report = await service.report({ kind: 'all' }, '2025-03-10');
    expect(report.kmsFindings.map((f) => f.code)).toEqual([
      'kms-key-version-cached',
      'kms-key-version-retired',
      'kms-v1-upgrade-blocked',
    ]);
    expect(await text()).not.toContain('have not been re-encrypted');
  });
});
