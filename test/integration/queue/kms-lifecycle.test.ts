import { KubeSim } from '../../../src/sandbox/kube';
import { PLAINTEXT } from '../../../src/sandbox/kube/encryption';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { ROTATIONS_QUEUE } from '../../../src/queue/queue-names';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { MemoryKmsControlPlane } from '../../helpers/memory-kms-control-plane';
import { approvedRequest } from './fixtures';
import { createHarness, type Harness } from './harness';

const VAULT_URI = 'https://kv1.vault.azure.net/';
const VAULT_ID = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1';
const AKS = { subscriptionId: 'sub', resourceGroup: 'rg', name: 'aks1', armEndpoint: 'https://management.azure.com' };

describe('the KMS lifecycle operations on the worker', () => {
  let sim: KubeSim;
  let h: Harness;
  let plane: MemoryKmsControlPlane;

  beforeAll(async () => {
    sim = await KubeSim.start();
    sim.store.namespaces.create({ metadata: { name: 'shop' }, status: { phase: 'Active' } });
    h = createHarness('kms-lifecycle', sim, { aks: AKS });
  });

  beforeEach(() => {
    sim.encryption.setCurrentKey(PLAINTEXT);
    for (const ns of ['default', 'shop']) {
      for (let i = 0; i < 4; i++) {
        const secret = {
          metadata: { name: `s-${i}`, namespace: ns },
          type: 'Opaque',
          data: { v: Buffer.from(`${ns}${i}`).toString('base64') },
        };
        try {
          sim.store.secrets.create(secret);
        } catch {
          // Kept from an earlier case: its stored key version is what that case left.
        }
      }
    }
    plane = new MemoryKmsControlPlane({
      vaultUri: VAULT_URI,
      vaultResourceId: VAULT_ID,
      keys: { etcd: ['v1', 'v2'], other: ['o1'] },
      onSealingKey: (version) => sim.encryption.setCurrentKey(version ?? PLAINTEXT),
    });
  });

  afterAll(async () => {
    await h.close();
    await sim.stop();
  });

  async function run(
    request: ApprovalRequest,
    cancelled: () => boolean = () => false,
  ): Promise<{ result?: unknown; error?: Error }> {
    await h.submit(request);
    const events = openQueueEvents(h.connection, ROTATIONS_QUEUE, h.prefix);
    const workers = h.start({
      clients: { ...h.deps.clients, kmsControlPlane: () => plane },
      approvals: { ...h.deps.approvals, cancelConfirmed: () => Promise.resolve(cancelled()) },
    });
    try {
      const job = await enqueueApprovedRequest(h.queues, request);
      return { result: await waitForJob(job, events, 30_000) };
    } catch (err) {
      return { error: err as Error };
    } finally {
      await workers.close();
      await events.close();
    }
  }

  /** Every secret as the simulated API server stores it: the key version each is sealed with. */
  function sealedWith(): string[] {
    return [...new Set(Object.values(sim.encryption.report().secrets))];
  }

  it('kms-enable turns KMS on, re-encrypts every secret under the key and verifies it', async () => {
    const keyId = plane.keyId('etcd', 'v2');
    const request = approvedRequest({
      operation: 'kms-enable',
      cluster: 'c1',
      params: { keyId, networkAccess: 'Public' },
    });
    const { result, error } = await run(request);
    expect(error).toBeUndefined();
    expect(plane.kms).toEqual({ enabled: true, keyId, keyVaultNetworkAccess: 'Public' });
    expect(sealedWith()).toEqual(['v2']);
    expect(result).toMatchObject({
      before: { enabled: false },
      after: { enabled: true, keyId },
      reencryption: { rewritten: 8 },
    });
    const record = await h.store.get(request.id);
    expect(record?.status).toBe('succeeded');
    expect(record?.outcome?.message).toMatch(/before: KMS off; after: KMS on with key .*etcd\/v2.*verified/);
  });

  it('kms-change-key "latest" moves the cluster to the newest version and says which old version must stay', async () => {
    await plane.setKms({ enabled: true, keyId: plane.keyId('etcd', 'v1'), keyVaultNetworkAccess: 'Public' });
    const request = approvedRequest({ operation: 'kms-change-key', cluster: 'c1', params: { keyId: 'latest' } });
    const { error } = await run(request);
    expect(error).toBeUndefined();
    expect(plane.kms.keyId).toBe(plane.keyId('etcd', 'v2'));
    expect(sealedWith()).toEqual(['v2']);
    expect((await h.store.get(request.id))?.outcome?.message).toMatch(
      /Keep version v1 of etcd valid and enabled until the next rotation/,
    );
  });

  it("kms-change-key refuses a key the cluster's identity may not use, before pointing the cluster at it", async () => {
    plane = new MemoryKmsControlPlane({
      vaultUri: VAULT_URI,
      vaultResourceId: VAULT_ID,
      keys: { etcd: ['v1'], other: ['o1'] },
      kms: { enabled: true, keyId: `${VAULT_URI}keys/etcd/v1`, keyVaultNetworkAccess: 'Public' },
      permissions: { encrypt: true, decrypt: false },
    });
    const { error } = await run(
      approvedRequest({ operation: 'kms-change-key', cluster: 'c1', params: { keyId: plane.keyId('other', 'o1') } }),
    );
    expect(error?.message).toMatch(/may not decrypt with key/);
    expect(plane.calls).toEqual([]);
  });

  it('kms-disable turns KMS off and leaves every secret in plain storage', async () => {
    await plane.setKms({ enabled: true, keyId: plane.keyId('etcd', 'v2'), keyVaultNetworkAccess: 'Public' });
    const request = approvedRequest({ operation: 'kms-disable', cluster: 'c1' });
    const { error } = await run(request);
    expect(error).toBeUndefined();
    expect(plane.kms).toEqual({ enabled: false });
    expect(sealedWith()).toEqual([PLAINTEXT]);
  });

  it('kms-set-vault-access runs the saga once through, resuming after a failed vault update without a second disable', async () => {
    const keyId = plane.keyId('etcd', 'v2');
    await plane.setKms({ enabled: true, keyId, keyVaultNetworkAccess: 'Public' });
    plane.calls.length = 0;
    plane.failOnce.add('setVaultPublicNetworkAccess');
    const request = approvedRequest({
      operation: 'kms-set-vault-access',
      cluster: 'c1',
      params: { networkAccess: 'Private', vaultResourceId: VAULT_ID },
    });
    const { result, error } = await run(request);
    expect(error).toBeUndefined();
    expect(plane.calls).toEqual([
      { call: 'setKms', kms: { enabled: false } },
      { call: 'setVaultPublicNetworkAccess', access: 'Disabled' },
      { call: 'setVaultPublicNetworkAccess', access: 'Disabled' },
      { call: 'setKms', kms: { enabled: true, keyId, keyVaultNetworkAccess: 'Private', keyVaultResourceId: VAULT_ID } },
    ]);
    expect(plane.vaultState.publicNetworkAccess).toBe('Disabled');
    expect(sealedWith()).toEqual(['v2']);
    expect(result).toMatchObject({ reencryption: { kmsOff: { rewritten: 8 }, kmsOn: { rewritten: 8 } } });
  });

  it('kms-set-vault-access stops at the step boundary after a cancel, with KMS off and the vault untouched', async () => {
    await plane.setKms({ enabled: true, keyId: plane.keyId('etcd', 'v2'), keyVaultNetworkAccess: 'Public' });
    plane.calls.length = 0;
    const request = approvedRequest({
      operation: 'kms-set-vault-access',
      cluster: 'c1',
      params: { networkAccess: 'Private', vaultResourceId: VAULT_ID },
    });
    // Someone cancels the job while KMS is being turned off: the saga finishes that step and starts no other.
    const { error } = await run(request, () => plane.kms.enabled === false);
    expect(error).toBeDefined();
    expect(plane.calls).toEqual([{ call: 'setKms', kms: { enabled: false } }]);
    expect(plane.vaultState.publicNetworkAccess).toBe('Enabled');
    expect((await h.store.get(request.id))?.status).not.toBe('succeeded');
  });

  it('kms-set-vault-access refuses the mode the cluster already has and changes nothing', async () => {
    await plane.setKms({ enabled: true, keyId: plane.keyId('etcd', 'v2'), keyVaultNetworkAccess: 'Public' });
    plane.calls.length = 0;
    const { error } = await run(
      approvedRequest({ operation: 'kms-set-vault-access', cluster: 'c1', params: { networkAccess: 'Public' } }),
    );
    expect(error?.message).toMatch(/already reaches its vault with Public network access/);
    expect(plane.calls).toEqual([]);
  });
});
