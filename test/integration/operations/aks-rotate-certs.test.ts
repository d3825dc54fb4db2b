import { CoreV1Api } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import { AzureSim } from '../../../src/sandbox/azure';
import { KubeSim } from '../../../src/sandbox/kube';
import { KubeConfigCache } from '../../../src/queue/kube-config-cache';
import type { RunningWorkers } from '../../../src/queue/start-workers';
import { createHarness, type Harness } from '../queue/harness';
import { kubeConfigFromYaml, runRequest, simAzureClients } from './azure-fixture';

const rotatePosts = (azure: AzureSim) => azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ });

describe('aks-rotate-certs against the simulators', () => {
  let kube: KubeSim;
  let azure: AzureSim;
  let h: Harness;
  let workers: RunningWorkers;
  let cache: KubeConfigCache;
  let oldKubeconfig: string;

  beforeEach(async () => {
    kube = await KubeSim.start();
    azure = await AzureSim.start();
    azure.addCluster({
      resourceGroup: 'rg',
      name: 'aks1',
      kubeconfig: () => kube.kubeconfig(),
      onRotateCertificates: () => kube.rotateCa(),
    });
    oldKubeconfig = kube.kubeconfig();
    h = createHarness('aks', kube, {
      aks: { subscriptionId: azure.subscriptionId, resourceGroup: 'rg', name: 'aks1', armEndpoint: azure.armEndpoint },
    });
    // The worker's client starts from the kubeconfig written before the rotation, as a deployed worker's would.
    cache = new KubeConfigCache(() => kubeConfigFromYaml(oldKubeconfig));
    workers = h.start({
      clients: {
        kubeConfig: (c) => cache.get(c),
        azure: simAzureClients(azure),
        useCredentials: (c, yaml) => cache.useCredentials(c, yaml),
      },
    });
  });

  afterEach(async () => {
    await workers.close();
    await cache.close();
    await h.close();
    await azure.stop();
    await kube.stop();
  });

  it('rotates once, reports the new CA and expiry, and certops keeps working while the old kubeconfig is refused', async () => {
    const oldCa = new X509Certificate(kube.caPem()).fingerprint256;
    const { request, result, error } = await runRequest(h, 'aks-rotate-certs');
    expect(error).toBeUndefined();
    const newCa = new X509Certificate(kube.caPem());
    expect(newCa.fingerprint256).not.toBe(oldCa);
    expect(result).toMatchObject({
      before: { caFingerprint: oldCa },
      after: { caFingerprint: newCa.fingerprint256, caExpiresOn: new Date(newCa.validTo).toISOString() },
    });
    expect(rotatePosts(azure)).toHaveLength(1);
    expect((await h.store.get(request.id))?.status).toBe('succeeded');
    expect(h.outcomes).toEqual([expect.objectContaining({ requestId: request.id, ok: true })]);

    const cluster = h.deps.config.clusters[0]!;
    const fresh = await cache.get(cluster).makeApiClient(CoreV1Api).listNamespace();
    expect(fresh.items.length).toBeGreaterThan(0);
    // What kubectl reports as "x509: certificate signed by unknown authority".
    const refused = await kubeConfigFromYaml(oldKubeconfig)
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(String((refused?.cause as { code?: string } | undefined)?.code)).toMatch(
      /SELF_SIGNED|UNABLE_TO_VERIFY|CERT_SIGNATURE/,
    );
  });

  it('ends failed when ARM reports the rotation Failed, releases the lock and says so', async () => {
    azure.faults.rotateOutcome('Failed');
    const { request, error } = await runRequest(h, 'aks-rotate-certs');
    expect(error?.message).toMatch(/ended as failed in Azure.*RotateClusterCertificates|ended as failed in Azure/);
    expect(rotatePosts(azure)).toHaveLength(1);
    expect((await h.store.get(request.id))?.status).toBe('failed');
    expect(h.outcomes).toEqual([
      expect.objectContaining({ requestId: request.id, ok: false, summary: expect.stringMatching(/failed in Azure/) }),
    ]);
    expect((await h.lock.acquire('c1', 'someone-else')).acquired).toBe(true);
  });

  it('retries throttling (429) as a transient error and then succeeds with a single accepted rotation', async () => {
    // The SDK retries a 429 three times itself; eight of them outlast one attempt of the job.
    azure.faults.failNext(8, /rotateClusterCertificates/, 429);
    const { request, error } = await runRequest(h, 'aks-rotate-certs');
    expect(error).toBeUndefined();
    expect((await h.store.get(request.id))?.status).toBe('succeeded');
    expect(rotatePosts(azure).filter((r) => r.status === 202)).toHaveLength(1);
    expect(h.progress.some((p) => p.requestId === request.id && /attempt 1 failed .*retrying/.test(p.step))).toBe(true);
  });

  it('fails at once on a permanent ARM refusal (400) without leaving the cluster locked', async () => {
    azure.faults.failNext(1000, /rotateClusterCertificates/, 400);
    const { request, error } = await runRequest(h, 'aks-rotate-certs');
    expect(error?.message).toMatch(/rotating certificates of c1/);
    expect((await h.store.get(request.id))?.status).toBe('failed');
    expect((await h.lock.acquire('c1', 'someone-else')).acquired).toBe(true);
  });
});
