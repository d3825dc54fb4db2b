import { BatchV1Api, CertificatesV1Api, CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { csrManifest, kubeConfigFor, startSim, statusOf } from './helpers';

describe('kube-sim CSR garbage collection on the simulated clock', () => {
  let sim: KubeSim;
  let api: CertificatesV1Api;

  beforeAll(async () => {
    sim = await startSim({ clock: () => Date.UTC(2030, 5, 1) });
    api = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
  });
  afterAll(() => sim.stop());

  it('removes decided requests after 1 hour and pending ones after 24 hours', async () => {
    const make = async (name: string) =>
      api.createCertificateSigningRequest({
        body: await csrManifest({
          name,
          subject: { commonName: name },
          signerName: 'example.com/custom',
          usages: ['client auth'],
        }),
      });
    await make('pending');
    const denied = await make('denied');
    denied.status = { conditions: [{ type: 'Denied', status: 'True' }] };
    await api.replaceCertificateSigningRequestApproval({ name: 'denied', body: denied });

    sim.advanceClock(59 * 60_000);
    expect(sim.gc()).toEqual([]);
    sim.advanceClock(2 * 60_000);
    const afterHour = await api.listCertificateSigningRequest({});
    expect(afterHour.items.map((c) => c.metadata?.name)).toEqual(['pending']);
    sim.advanceClock(23 * 3600_000);
    expect(sim.gc()).toEqual(['pending']);
  });
});

describe('kube-sim faults, jobs and leases', () => {
  let sim: KubeSim;

  beforeEach(async () => {
    sim = await startSim();
  });
  afterEach(() => sim.stop());

  it('answers injected failures for the next n matching requests only', async () => {
    const core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    sim.faults.failNext(1, /\/api\/v1\/nodes/, 503, 'GET');
    const err = await core.listNode().catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    await expect(core.listNode()).resolves.toMatchObject({ items: [] });
  });

  it('runs a Job as one labelled Pod whose scripted outcome and log it reports', async () => {
    sim.jobScript((job) => ({ succeed: job.metadata.name !== 'renew-fails', log: `ran ${job.metadata.name}\n` }));
    const batch = kubeConfigFor(sim).makeApiClient(BatchV1Api);
    const core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    const template = {
      spec: { restartPolicy: 'Never', nodeName: 'cp-1', containers: [{ name: 'renew', image: 'kubeadm' }] },
    };
    await batch.createNamespacedJob({
      namespace: 'kube-system',
      body: { metadata: { name: 'renew-ok' }, spec: { template } },
    });
    await batch.createNamespacedJob({
      namespace: 'kube-system',
      body: { metadata: { name: 'renew-fails' }, spec: { template } },
    });
    await sim.idle();

    const ok = await batch.readNamespacedJob({ name: 'renew-ok', namespace: 'kube-system' });
    expect(ok.status?.succeeded).toBe(1);
    expect(ok.status?.conditions?.map((c) => c.type)).toEqual(['Complete']);
    const failed = await batch.readNamespacedJob({ name: 'renew-fails', namespace: 'kube-system' });
    expect(failed.status?.failed).toBe(1);
    expect(failed.status?.conditions?.map((c) => c.type)).toEqual(['Failed']);

    const pods = await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'job-name=renew-ok' });
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0]?.status?.phase).toBe('Succeeded');
    const log = await core.readNamespacedPodLog({
      name: pods.items[0]?.metadata?.name ?? '',
      namespace: 'kube-system',
    });
    expect(log).toBe('ran renew-ok\n');
  });

  it('guards Lease updates with resourceVersion', async () => {
    const leases = kubeConfigFor(sim).makeApiClient(CoordinationV1Api);
    const lease = await leases.createNamespacedLease({
      namespace: 'default',
      body: { metadata: { name: 'certops-leader' }, spec: { holderIdentity: 'replica-a', leaseDurationSeconds: 15 } },
    });
    await leases.replaceNamespacedLease({
      name: 'certops-leader',
      namespace: 'default',
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'replica-b' } },
    });
    const err = await leases
      .replaceNamespacedLease({
        name: 'certops-leader',
        namespace: 'default',
        body: { ...lease, spec: { ...lease.spec, holderIdentity: 'replica-c' } },
      })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({ code: 409, reason: 'Conflict' });
    const current = await leases.readNamespacedLease({ name: 'certops-leader', namespace: 'default' });
    expect(current.spec?.holderIdentity).toBe('replica-b');
  });
});
