import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { AzureSim } from '../../../src/sandbox/azure/server';
import { startAksBackend } from '../../../src/sandbox/harness/aks-backend';
import type { KubeSim } from '../../../src/sandbox/kube';
import { armClientFor } from './clients';

const POLL = { updateIntervalInMs: 5 };

/** The client certificate and CA in the kubeconfig listClusterUserCredential / listClusterAdminCredential hand out. */
async function credentials(
  sim: AzureSim,
  kind: 'user' | 'admin',
): Promise<{ client: X509Certificate; ca: X509Certificate }> {
  const arm = armClientFor(sim);
  const answer =
    kind === 'user'
      ? await arm.managedClusters.listClusterUserCredentials('rg', 'aks1')
      : await arm.managedClusters.listClusterAdminCredentials('rg', 'aks1');
  const yaml = Buffer.from(answer.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8');
  const doc = parse(yaml) as {
    clusters: Array<{ cluster: Record<string, string> }>;
    users: Array<{ user: Record<string, string> }>;
  };
  const pem = (data: string | undefined) => new X509Certificate(Buffer.from(data ?? '', 'base64'));
  return {
    client: pem(doc.users[0]?.user['client-certificate-data']),
    ca: pem(doc.clusters[0]?.cluster['certificate-authority-data']),
  };
}

const wholeSeconds = (date: Date | undefined) => Math.floor((date?.getTime() ?? 0) / 1000) * 1000;

// A real `az aks rotate-certs` renews the client certificates with the CA: kubeconfigs fetched afterwards carry a
// certificate from the new CA with a new expiry, which is what certops' rotation summary reports.
describe('simulated AKS credentials around rotateClusterCertificates', () => {
  let sim: AzureSim;
  const backends: KubeSim[] = [];

  beforeEach(async () => {
    sim = await AzureSim.start({
      provisionCluster: async (cluster) => {
        const { kube, backend } = await startAksBackend(cluster);
        backends.push(kube);
        return backend;
      },
    });
    sim.faults.rotateDurationMs(0);
    await armClientFor(sim).managedClusters.createOrUpdate('rg', 'aks1', { location: 'eastus' }, POLL).pollUntilDone();
  });
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((kube) => kube.stop()));
    await sim.stop();
  });

  it('issues a new cluster client certificates that expire when the cluster says its certificates do', async () => {
    const { client, ca } = await credentials(sim, 'user');
    expect(Date.parse(client.validTo)).toBe(wholeSeconds(sim.cluster('rg', 'aks1').certificateExpiry));
    expect(client.checkIssued(ca)).toBe(true);
  });

  it.each(['user', 'admin'] as const)(
    'hands out a renewed %s client certificate, from the new CA, after a rotation',
    async (kind) => {
      const before = await credentials(sim, kind);
      await armClientFor(sim).managedClusters.rotateClusterCertificates('rg', 'aks1', POLL).pollUntilDone();
      const after = await credentials(sim, kind);
      expect(after.client.serialNumber).not.toBe(before.client.serialNumber);
      expect(after.ca.fingerprint256).not.toBe(before.ca.fingerprint256);
      expect(after.client.checkIssued(after.ca)).toBe(true);
      expect(Date.parse(after.client.validTo)).toBe(wholeSeconds(sim.cluster('rg', 'aks1').certificateExpiry));
      // Issued at the rotation: not before the old one's expiry (both run two years, seconds apart).
      expect(Date.parse(after.client.validTo)).toBeGreaterThanOrEqual(Date.parse(before.client.validTo));
    },
  );
});
