import { restorePoller } from '@azure/arm-containerservice';
import { AzureSim } from '../../../src/sandbox/azure/server';
import { armClientFor } from './clients';

const RG = 'rg-prod';
const CLUSTER = 'aks-prod';
const POLL = { updateIntervalInMs: 5 };
const ROTATE_POST = /\/managedClusters\/aks-prod\/rotateClusterCertificates$/;

/** A promise the test settles by hand, so "mid-operation" needs no timing. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('simulated AKS rotateClusterCertificates', () => {
  let sim: AzureSim;
  let rotation: ReturnType<typeof gate>;
  let rotations: number;
  let renewedUntil: Date | undefined;
  const oldExpiry = new Date(Date.now() + 5 * 86400_000);

  beforeEach(async () => {
    sim = await AzureSim.start();
    sim.faults.rotateDurationMs(0);
    rotation = gate();
    rotations = 0;
    sim.addCluster({
      resourceGroup: RG,
      name: CLUSTER,
      certificateExpiry: oldExpiry,
      onRotateCertificates: async ({ certificateExpiry }) => {
        rotations += 1;
        renewedUntil = certificateExpiry;
        await rotation.wait;
      },
    });
  });
  afterEach(async () => {
    rotation.open();
    await sim.stop();
  });

  it('reports RotatingClusterCertificates while it runs, then Succeeded with fresh certificates', async () => {
    const client = armClientFor(sim);
    const poller = client.managedClusters.rotateClusterCertificates(RG, CLUSTER, POLL);
    await poller.submitted();
    expect((await client.managedClusters.get(RG, CLUSTER)).provisioningState).toBe('RotatingClusterCertificates');
    rotation.open();
    await poller.pollUntilDone();
    const cluster = sim.cluster(RG, CLUSTER);
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.certificateExpiry?.getTime()).toBeGreaterThan(oldExpiry.getTime());
    // The cluster's backend renews its client certificates until the expiry the cluster then reports.
    expect(renewedUntil).toEqual(cluster.certificateExpiry);
    expect(cluster.history).toEqual([
      expect.objectContaining({ kind: 'rotateClusterCertificates', status: 'Succeeded' }),
    ]);
    expect(rotations).toBe(1);
    expect(sim.requests({ method: 'POST', pathRegex: ROTATE_POST }).map((r) => r.status)).toEqual([202]);
  });

  it('refuses a second rotation while one runs with 409 OperationNotAllowed', async () => {
    const client = armClientFor(sim);
    await client.managedClusters.rotateClusterCertificates(RG, CLUSTER, POLL).submitted();
    const second = await client.managedClusters
      .rotateClusterCertificates(RG, CLUSTER, POLL)
      .submitted()
      .catch((e: unknown) => e);
    expect(second).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
  });

  it('finishes from a serialized poller state without a second rotate request', async () => {
    const client = armClientFor(sim);
    const first = client.managedClusters.rotateClusterCertificates(RG, CLUSTER, POLL);
    await first.submitted();
    const saved = await first.serialize();
    expect(JSON.parse(saved).state.status).toBe('running');

    // A new process: a fresh client, the saved state, and the same operation to deserialize with.
    const resumedClient = armClientFor(sim);
    const resumed = restorePoller(resumedClient, saved, resumedClient.managedClusters.rotateClusterCertificates, POLL);
    rotation.open();
    await resumed.pollUntilDone();
    expect(sim.cluster(RG, CLUSTER).provisioningState).toBe('Succeeded');
    expect(sim.requests({ method: 'POST', pathRegex: ROTATE_POST })).toHaveLength(1);
    expect(sim.requests({ method: 'GET', pathRegex: /\/operations\// }).length).toBeGreaterThan(0);
    expect(rotations).toBe(1);
  });

  it('fails the operation when the rotation is set to fail, without rotating anything', async () => {
    sim.faults.rotateOutcome('Failed');
    const failure = await armClientFor(sim)
      .managedClusters.rotateClusterCertificates(RG, CLUSTER, POLL)
      .pollUntilDone()
      .catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/has failed\. RotateClusterCertificatesFailed\./);
    expect(rotations).toBe(0);
    expect(sim.cluster(RG, CLUSTER).provisioningState).toBe('Failed');
  });
});
