import { CertificatesV1Api, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { csrManifest, kubeConfigFor, nodeServingSubject, startSim, statusOf } from './helpers';

describe('kube-sim CSR approval subresource rules', () => {
  let sim: KubeSim;
  let api: CertificatesV1Api;

  beforeAll(async () => {
    sim = await startSim();
    api = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
  });
  afterAll(() => sim.stop());

  async function fresh(name: string): Promise<V1CertificateSigningRequest> {
    await api.createCertificateSigningRequest({
      body: await csrManifest({ name, subject: nodeServingSubject('worker-1') }),
    });
    return api.readCertificateSigningRequest({ name });
  }

  async function failure(promise: Promise<unknown>) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    return { code: (err as { code: number }).code, ...statusOf(err) };
  }

  it.each([
    {
      rule: 'Approved and Denied together',
      name: 'both',
      conditions: [
        { type: 'Approved', status: 'True' },
        { type: 'Denied', status: 'True' },
      ],
      message: 'Approved and Denied conditions are mutually exclusive',
    },
    {
      rule: 'an Approved condition whose status is not True',
      name: 'false-status',
      conditions: [{ type: 'Approved', status: 'False' }],
      message: 'status.conditions[0].status: Unsupported value: "False"',
    },
    {
      rule: 'two conditions of one type',
      name: 'duplicate',
      conditions: [
        { type: 'Denied', status: 'True' },
        { type: 'Denied', status: 'True' },
      ],
      message: 'status.conditions[1].type: Duplicate value: "Denied"',
    },
  ])('refuses $rule with 422 Invalid and leaves the request undecided', async ({ name, conditions, message }) => {
    const csr = await fresh(name);
    csr.status = { conditions };
    const result = await failure(api.replaceCertificateSigningRequestApproval({ name, body: csr }));
    expect(result.code).toBe(422);
    expect(result.message).toContain(message);
    const stored = await api.readCertificateSigningRequest({ name });
    expect(stored.status?.conditions ?? []).toEqual([]);
  });

  it('refuses to remove an existing decision', async () => {
    const csr = await fresh('undo');
    csr.status = { conditions: [{ type: 'Denied', status: 'True', reason: 'No' }] };
    const denied = await api.replaceCertificateSigningRequestApproval({ name: 'undo', body: csr });
    denied.status = { conditions: [] };
    const result = await failure(api.replaceCertificateSigningRequestApproval({ name: 'undo', body: denied }));
    expect(result.code).toBe(422);
    expect(result.message).toContain('updates may not remove a condition of type "Denied"');
    const stored = await api.readCertificateSigningRequest({ name: 'undo' });
    expect(stored.status?.conditions?.map((c) => c.type)).toEqual(['Denied']);
  });

  it('answers 409 Conflict to an approval based on a stale resourceVersion', async () => {
    const csr = await fresh('stale');
    const stale = structuredClone(csr);
    const labelled = { ...csr, metadata: { ...csr.metadata, labels: { touched: 'yes' } } };
    await api.replaceCertificateSigningRequest({ name: 'stale', body: labelled });
    stale.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    const result = await failure(api.replaceCertificateSigningRequestApproval({ name: 'stale', body: stale }));
    expect(result.code).toBe(409);
    expect(result.reason).toBe('Conflict');
    expect(result.message).toBe(
      'Operation cannot be fulfilled on certificatesigningrequests.certificates.k8s.io "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('answers 404 NotFound in the Status format for an unknown request', async () => {
    const result = await failure(api.readCertificateSigningRequest({ name: 'missing' }));
    expect(result).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'certificatesigningrequests.certificates.k8s.io "missing" not found',
    });
  });

  it('keeps the status out of reach of the main resource', async () => {
    const csr = await fresh('main-put');
    csr.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    const updated = await api.replaceCertificateSigningRequest({ name: 'main-put', body: csr });
    expect(updated.status?.conditions ?? []).toEqual([]);
  });
});
