import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClusterKubeConfig } from '../../../src/clusters/kubeconfig';
import { KubeConfigCache } from '../../../src/queue/kube-config-cache';
import { beforeAfterLines } from '../../../src/queue/progress-text';
import type { RunningWorkers } from '../../../src/queue/start-workers';
import { AzureSim } from '../../../src/sandbox/azure';
import { AKS, seedAksCluster } from '../../../src/sandbox/demo/story';
import { KubeSim } from '../../../src/sandbox/kube';
import { createHarness, type Harness } from '../queue/harness';
import { runRequest, simAzureClients } from './azure-fixture';

// The demo's AKS cluster, worked as the README does it: rotate its certificates, then its KMS key. The worker
// starts from the kubeconfig file written before the rotation and switches to the credentials Azure hands out after it.
describe('the demo AKS cluster after a certificate rotation', () => {
  let kube: KubeSim;
  let azure: AzureSim;
  let dir: string;
  let h: Harness;
  let workers: RunningWorkers;
  let rotatedFiles = 0;
  const kubeConfigs = new KubeConfigCache(loadClusterKubeConfig);

  beforeAll(async () => {
    kube = await KubeSim.start();
    azure = await AzureSim.start();
    dir = await mkdtemp(join(tmpdir(), 'certops-demo-aks-'));
    const kubeconfigPath = join(dir, 'aks-prod.kubeconfig');
    await kube.writeKubeconfig(kubeconfigPath);
    await seedAksCluster(azure, kube, Date.now(), () => {
      rotatedFiles++;
      return Promise.resolve();
    });
    azure.faults.rotateDurationMs(50);
    h = createHarness('demo-aks', kube, {
      kubeconfig: kubeconfigPath,
      aks: {
        subscriptionId: azure.subscriptionId,
        resourceGroup: AKS.resourceGroup,
        name: AKS.name,
        armEndpoint: azure.armEndpoint,
      },
      kms: { keyVaultUrl: azure.keyVaultUrl, keyName: AKS.keyName, verifyChallengeResource: true },
    });
    workers = h.start({
      clients: {
        kubeConfig: (cluster) => kubeConfigs.get(cluster),
        azure: simAzureClients(azure),
        useCredentials: (cluster, yaml) => kubeConfigs.useCredentials(cluster, yaml),
      },
    });
  });

  afterAll(async () => {
    await workers.close();
    await kubeConfigs.close();
    await h.close();
    await azure.stop();
    await kube.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the API server a certificate from the new CA, so a KMS rotation with re-encryption works afterwards', async () => {
    const caBefore = kube.caPem();
    const rotation = await runRequest(h, 'aks-rotate-certs');
    expect(rotation.error).toBeUndefined();
    expect(kube.caPem()).not.toBe(caBefore);
    expect(rotatedFiles).toBe(1);
    // A real rotate-certs renews the client certificate too: the summary shows its expiry moving forward.
    const { before, after } = rotation.result as {
      before: { clientCertExpiresOn: string };
      after: { clientCertExpiresOn: string };
    };
    expect(Date.parse(after.clientCertExpiresOn)).toBeGreaterThan(Date.parse(before.clientCertExpiresOn));
    // Certificates carry whole seconds.
    const clusterExpiry = azure.cluster(AKS.resourceGroup, AKS.name).certificateExpiry?.getTime() ?? 0;
    expect(Date.parse(after.clientCertExpiresOn)).toBe(Math.floor(clusterExpiry / 1000) * 1000);
    const clientLine = beforeAfterLines('aks-rotate-certs', rotation.result).find((line) =>
      line.includes('client certificate expires'),
    );
    expect(clientLine).toMatch(/→/);
    expect(clientLine).not.toMatch(/unchanged/);

    const kms = await runRequest(h, 'kms-rotate-key');
    expect(kms.error).toBeUndefined();
    expect(kms.result).toMatchObject({ reencryption: { rewritten: kube.store.secrets.list().length } });
  });
});
