import { KubeSim } from '../../../src/sandbox/kube';
import type { RunningWorkers } from '../../../src/queue/start-workers';
import { createHarness, type Harness } from '../queue/harness';
import { runRequest } from './azure-fixture';

const NODES = ['cp-1', 'cp-2', 'cp-3'];

function checkExpirationLog(expires: string): string {
  return [
    'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
    `apiserver                  ${expires}   364d            ca                      no`,
    `admin.conf                 ${expires}   364d            ca                      no`,
    '',
    'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
    'ca                      Nov 20, 2034 12:00 UTC   9y              no',
  ].join('\n');
}

describe('kubeadm-renew against kube-sim node jobs', () => {
  let kube: KubeSim;
  let h: Harness;
  let workers: RunningWorkers;
  /** Nodes in the order their Job started, and whether any other renewal Job was still running then. */
  let started: Array<{ node: string; othersRunning: number }>;

  beforeEach(async () => {
    kube = await KubeSim.start();
    for (const name of [...NODES, 'worker-1']) {
      const labels: Record<string, string> = name.startsWith('cp-')
        ? { 'node-role.kubernetes.io/control-plane': '' }
        : {};
      kube.store.nodes.create({ metadata: { name, labels } });
    }
    started = [];
    h = createHarness('kubeadm', kube, { kubeadm: { enabled: true, image: 'registry.example/kubeadm:v1.31.0' } });
    workers = h.start();
  });

  afterEach(async () => {
    await workers.close();
    await h.close();
    await kube.stop();
  });

  const script =
    (failOn?: string) =>
    (job: { spec?: { template?: { spec?: { nodeName?: string } } }; metadata: { name?: string } }) => {
      const node = job.spec?.template?.spec?.nodeName ?? '?';
      const othersRunning = kube.store.jobs
        .list()
        .filter((j) => j.metadata.name !== job.metadata.name && !j.status?.succeeded && !j.status?.failed).length;
      started.push({ node, othersRunning });
      if (node === failOn)
        return { succeed: false, log: 'error: failed to renew apiserver certificate: permission denied', delayMs: 20 };
      return { succeed: true, log: checkExpirationLog('Nov 23, 2027 12:00 UTC'), delayMs: 20 };
    };

  it('renews one control-plane node at a time, on that node, and reports the new expiry', async () => {
    kube.jobScript(script());
    const { result, error } = await runRequest(h, 'kubeadm-renew');
    expect(error).toBeUndefined();
    expect(started).toEqual(NODES.map((node) => ({ node, othersRunning: 0 })));
    const jobs = kube.store.jobs.list();
    expect(jobs.map((j) => j.spec?.template?.spec?.nodeName).sort()).toEqual(NODES);
    expect(
      jobs.every(
        (j) =>
          j.spec?.template?.spec?.hostPID === true &&
          (j.spec?.template?.spec?.containers as Array<{ image?: string }> | undefined)?.[0]?.image ===
            'registry.example/kubeadm:v1.31.0',
      ),
    ).toBe(true);
    expect(result).toMatchObject({
      nodes: NODES.map((node) => ({
        node,
        certificates: expect.arrayContaining([{ name: 'apiserver', expiresOn: '2027-11-23T12:00:00.000Z' }]),
      })),
    });
  });

  it('stops at the first node that fails and leaves the others untouched', async () => {
    kube.jobScript(script('cp-2'));
    const { request, error } = await runRequest(h, 'kubeadm-renew');
    expect(error?.message).toMatch(/failed on cp-2.*permission denied.*Renewed: cp-1; left untouched: cp-3/);
    expect(started.map((s) => s.node)).toEqual(['cp-1', 'cp-2']);
    expect(kube.store.jobs.list().some((j) => j.spec?.template?.spec?.nodeName === 'cp-3')).toBe(false);
    expect((await h.store.get(request.id))?.status).toBe('failed');
  });
});
