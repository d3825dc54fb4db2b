import { CertificatesV1Api } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import {
  csrManifest,
  decodeCertificate,
  kubeConfigFor,
  manualClock,
  nodeServingSubject,
  startSim,
  statusOf,
} from './helpers';

describe('kube-sim CertificateSigningRequests through @kubernetes/client-node', () => {
  const clock = manualClock();
  let sim: KubeSim;
  let api: CertificatesV1Api;

  beforeAll(async () => {
    sim = await startSim({ clock: clock.now });
    api = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
  });
  afterAll(() => sim.stop());

  it('records the authenticated requester, not the one the body claims', async () => {
    const { token } = sim.addUser('system:node:worker-1', ['system:nodes']);
    expect(token).toBeTruthy();
    const nodeApi = kubeConfigFor(sim, { user: 'system:node:worker-1' }).makeApiClient(CertificatesV1Api);
    const body = await csrManifest({ name: 'claimed', subject: nodeServingSubject('worker-1') });
    body.spec.username = 'cluster-admin';
    body.spec.groups = ['system:masters'];
    const created = await nodeApi.createCertificateSigningRequest({ body });
    expect(created.spec.username).toBe('system:node:worker-1');
    expect(created.spec.groups).toEqual(['system:nodes', 'system:authenticated']);
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('rejects a request that is not a PEM CERTIFICATE REQUEST, or lacks usages, with 422 Invalid', async () => {
    const body = await csrManifest({ name: 'broken', subject: nodeServingSubject('worker-1') });
    body.spec.request = Buffer.from('not a pem').toString('base64');
    body.spec.usages = [];
    const err = await api.createCertificateSigningRequest({ body }).catch((e: unknown) => e);
    expect((err as { code: number }).code).toBe(422);
    const status = statusOf(err);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toContain('spec.request: Invalid value');
    expect(status.message).toContain('PEM block type must be CERTIFICATE REQUEST');
    expect(status.message).toContain('spec.usages: Required value');
  });

  it('lists with limit/continue, a signerName field selector and a label selector', async () => {
    for (const i of [1, 2, 3]) {
      await api.createCertificateSigningRequest({
        body: await csrManifest({
          name: `client-${i}`,
          subject: { commonName: `user-${i}` },
          signerName: 'kubernetes.io/kube-apiserver-client',
          usages: ['digital signature', 'client auth'],
          labels: { batch: i === 2 ? 'b' : 'a' },
        }),
      });
    }
    const fieldSelector = 'spec.signerName=kubernetes.io/kube-apiserver-client';
    const first = await api.listCertificateSigningRequest({ limit: 2, fieldSelector });
    expect(first.items.map((c) => c.metadata?.name)).toEqual(['client-1', 'client-2']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const rest = await api.listCertificateSigningRequest({
      limit: 2,
      fieldSelector,
      _continue: first.metadata?._continue,
    });
    expect(rest.items.map((c) => c.metadata?.name)).toEqual(['client-3']);
    expect(rest.metadata?._continue).toBeFalsy();
    const labelled = await api.listCertificateSigningRequest({ labelSelector: 'batch in (b)' });
    expect(labelled.items.map((c) => c.metadata?.name)).toEqual(['client-2']);
  });

  it('signs an approved kubelet-serving request with the cluster CA for the requested lifetime', async () => {
    await api.createCertificateSigningRequest({
      body: await csrManifest({ name: 'serving', subject: nodeServingSubject('worker-1'), expirationSeconds: 3600 }),
    });
    const current = await api.readCertificateSigningRequest({ name: 'serving' });
    current.status = {
      conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by test' }],
    };
    await api.replaceCertificateSigningRequestApproval({ name: 'serving', body: current });
    const signed = await api.readCertificateSigningRequest({ name: 'serving' });
    const cert = decodeCertificate(signed.status?.certificate ?? '');
    expect(cert.checkIssued(decodeCertificate(Buffer.from(sim.caPem()).toString('base64')))).toBe(true);
    expect(cert.subject).toContain('CN=system:node:worker-1');
    expect(cert.subjectAltName).toContain('DNS:worker-1');
    // Short-lived certificates are backdated 5 minutes at the start only.
    expect(Date.parse(cert.validTo)).toBe(clock.now() + 3600_000);
    expect(Date.parse(cert.validFrom)).toBe(clock.now() - 300_000);
  });

  it('marks an approved kubelet-serving request that breaks the signer rules as Failed', async () => {
    const subject = { commonName: 'worker-2', organizations: ['system:nodes'], dnsNames: ['worker-2'] };
    await api.createCertificateSigningRequest({ body: await csrManifest({ name: 'bad-cn', subject }) });
    const current = await api.readCertificateSigningRequest({ name: 'bad-cn' });
    current.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    await api.replaceCertificateSigningRequestApproval({ name: 'bad-cn', body: current });
    const after = await api.readCertificateSigningRequest({ name: 'bad-cn' });
    const failed = after.status?.conditions?.find((c) => c.type === 'Failed');
    expect(failed).toMatchObject({
      status: 'True',
      reason: 'SignerValidationFailure',
      message: 'subject common name does not begin with system:node:',
    });
    expect(after.status?.certificate).toBeUndefined();
  });
});
