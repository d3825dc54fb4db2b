import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KubeSim, type JobObject } from '../../../src/sandbox/kube';
import { scanCluster } from '../../../src/sources/cluster-inventory';
import { writeKubeadmPki, type KubeadmPkiFixture } from '../../fixtures/kubeadm-pki';
import { clusterConfig, kubeConfigFor } from './sim-cluster';

interface JobContainer {
  command: string[];
  volumeMounts: Array<{ mountPath: string; readOnly?: boolean }>;
}

function containerOf(job: JobObject): JobContainer {
  const spec = job.spec?.template?.spec as { containers: JobContainer[] };
  return spec.containers[0] as JobContainer;
}

/** Runs the Job's own shell script, with the node's filesystem root pointed at the fixture folder. */
function runDumpScript(job: JobObject, nodeRoot: string): string {
  const script = (containerOf(job).command[2] as string).replace(/^R='[^']*'/, `R='${nodeRoot}'`);
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
}

const CONTROL_PLANE = { 'node-role.kubernetes.io/control-plane': '' };
const kubeadm = {
  enabled: true,
  image: 'registry.k8s.io/kubeadm:v1.31.0',
  controlPlaneSelector: 'node-role.kubernetes.io/control-plane',
};
const fastPolls = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)), pollIntervalMs: 1 };

describe('kubeadm node PKI source', () => {
  let sim: KubeSim;
  let pki: KubeadmPkiFixture;
  const jobs: JobObject[] = [];

  beforeAll(async () => {
    [sim, pki] = await Promise.all([KubeSim.start(), writeKubeadmPki()]);
    // The fixture's kubelet.conf names its pem by the fixture's absolute path: make it resolve under the node root too.
    await mkdir(join(pki.root, dirname(pki.root)), { recursive: true });
    await symlink(pki.root, join(pki.root, pki.root));
    // As the kubelet writes it: certificate and key on separate lines.
    const kubelet = pki.certs['kubelet.conf'];
    if (kubelet) await writeFile(pki.kubeletClientPem, `${kubelet.certPem.trim()}\n${kubelet.keyPem.trim()}\n`);
    sim.store.namespaces.create({ metadata: { name: 'certops' } });
    sim.store.nodes.create({ metadata: { name: 'cp-1', labels: CONTROL_PLANE } });
    sim.store.nodes.create({ metadata: { name: 'cp-2', labels: CONTROL_PLANE } });
    sim.store.nodes.create({ metadata: { name: 'worker-1', labels: {} } });
  });
  afterAll(async () => {
    await Promise.all([sim.stop(), pki.cleanup()]);
  });
  beforeEach(() => {
    jobs.length = 0;
  });

  it('dumps every control-plane node with a pinned read-only Job, parses the log and deletes the Job', async () => {
    sim.jobScript((job) => {
      jobs.push(job);
      return { succeed: true, log: runDumpScript(job, pki.root), delayMs: 20 };
    });

    const scan = await scanCluster(clusterConfig({ kubeadm }), { kubeConfig: kubeConfigFor(sim), ...fastPolls });

    expect(jobs.map((job) => (job.spec?.template?.spec as { nodeName: string }).nodeName).sort()).toEqual([
      'cp-1',
      'cp-2',
    ]);
    for (const job of jobs) {
      const podSpec = job.spec?.template?.spec as {
        tolerations: Array<{ key: string; effect: string }>;
        volumes: Array<{ hostPath: { path: string } }>;
      };
      expect(job.metadata.namespace).toBe('certops');
      expect(job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: expect.any(Number) });
      expect(podSpec.tolerations).toContainEqual(
        expect.objectContaining({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }),
      );
      expect(podSpec.volumes.map((v) => v.hostPath.path)).toEqual(['/etc/kubernetes', '/var/lib/kubelet/pki']);
      expect(containerOf(job).volumeMounts.every((mount) => mount.readOnly === true)).toBe(true);
    }
    const apiserver = scan.certificates.find((r) => r.name === 'apiserver');
    expect(apiserver?.locations.sort()).toEqual([
      'node:cp-1:/etc/kubernetes/pki/apiserver.crt',
      'node:cp-2:/etc/kubernetes/pki/apiserver.crt',
    ]);
    expect(apiserver?.notAfter.getTime()).toBe(pki.certs.apiserver?.cert.notAfter.getTime());
    expect(scan.certificates.some((r) => r.name === 'admin.conf')).toBe(true);
    expect(scan.certificates.find((r) => r.name === 'kubelet.conf')?.subjectCN).toBe('system:node:cp-1');
    expect(scan.errors.filter((e) => e.source === 'node-pki')).toEqual([]);
    await sim.idle();
    expect(sim.store.jobs.list('certops')).toEqual([]);
  });

  it('reports a node whose Job fails and still reports the others', async () => {
    sim.jobScript((job) => {
      const node = (job.spec?.template?.spec as { nodeName: string }).nodeName;
      return node === 'cp-2'
        ? { succeed: false, log: 'find: /host/etc/kubernetes/pki: Permission denied' }
        : { succeed: true, log: runDumpScript(job, pki.root) };
    });

    const scan = await scanCluster(clusterConfig({ kubeadm: { ...kubeadm, namespace: 'certops' } }), {
      kubeConfig: kubeConfigFor(sim),
      ...fastPolls,
    });

    expect(scan.errors).toEqual([
      expect.objectContaining({ source: 'node-pki', location: 'node:cp-2', message: expect.stringMatching(/failed/) }),
    ]);
    expect(scan.certificates.find((r) => r.name === 'apiserver')?.locations).toEqual([
      'node:cp-1:/etc/kubernetes/pki/apiserver.crt',
    ]);
  });

  it('gives up on a Job that never finishes after a bounded number of checks', async () => {
    sim.jobScript(() => ({ succeed: true, log: '', delayMs: 60_000 }));

    const scan = await scanCluster(clusterConfig({ kubeadm }), {
      kubeConfig: kubeConfigFor(sim),
      ...fastPolls,
      maxPolls: 5,
    });

    const nodeErrors = scan.errors.filter((e) => e.source === 'node-pki');
    expect(nodeErrors.map((e) => e.location).sort()).toEqual(['node:cp-1', 'node:cp-2']);
    expect(nodeErrors[0]?.message).toMatch(/not finished after 5 checks/);
    expect(sim.store.jobs.list('certops')).toEqual([]);
  });
});
