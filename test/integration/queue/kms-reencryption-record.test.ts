import type { ApprovalRequest } from '../../../src/core/approvals';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { ROTATIONS_QUEUE } from '../../../src/queue/queue-names';
import { KubeSim } from '../../../src/sandbox/kube';
import { PLAINTEXT } from '../../../src/sandbox/kube/encryption';
import { ReencryptionRecords } from '../../../src/state/reencryption-record';
import { MemoryKmsControlPlane } from '../../helpers/memory-kms-control-plane';
import { approvedRequest } from './fixtures';
import { createHarness, type Harness } from './harness';
import { silentLogger } from '../../../src/util/logger';

const AKS = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'aks1', armEndpoint: 'https://management.azure.com' };

/** Every re-encryption pass records the key the secrets ended up under, whichever operation ran it. */
describe('re-encryption records written by the KMS lifecycle operations', () => {
  let sim: KubeSim;
  let h: Harness;
  let plane: MemoryKmsControlPlane;
  const latest = () => new ReencryptionRecords(h.connection, h.prefix, silentLogger()).latest('c1');

  beforeAll(async () => {
    sim = await KubeSim.start();
    sim.encryption.setCurrentKey(PLAINTEXT);
    sim.store.secrets.create({ metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: {} });
    h = createHarness('kms-record', sim, { aks: AKS });
    plane = new MemoryKmsControlPlane({
      vaultUri: 'https://kv1.vault.azure.net/',
      vaultResourceId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
      keys: { etcd: ['v1'] },
      onSealingKey: (version) => sim.encryption.setCurrentKey(version ?? PLAINTEXT),
    });
  });
  afterAll(async () => {
    await h.close();
    await sim.stop();
  });

  async function run(request: ApprovalRequest): Promise<void> {
    await h.submit(request);
    const events = openQueueEvents(h.connection, ROTATIONS_QUEUE, h.prefix);
    const workers = h.start({ clients: { ...h.deps.clients, kmsControlPlane: () => plane } });
    try {
      await waitForJob(await enqueueApprovedRequest(h.queues, request), events, 30_000);
    } finally {
      await workers.close();
      await events.close();
    }
  }

  it('kms-enable records the new key; kms-disable records plain storage', async () => {
    const keyId = plane.keyId('etcd', 'v1');
    const enable = approvedRequest({
      operation: 'kms-enable',
      cluster: 'c1',
      params: { keyId, networkAccess: 'Public' },
    });
    await run(enable);
    expect(await latest()).toEqual({ at: expect.any(String), keyId, requestId: enable.id });

    const disable = approvedRequest({ operation: 'kms-disable', cluster: 'c1' });
    await run(disable);
    expect(await latest()).toEqual({ at: expect.any(String), keyId: null, requestId: disable.id });
  });
});
