import https from 'node:https';
import { CertificatesV1Api, CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { csrManifest, kubeConfigFor, startSim, statusOf } from './helpers';

function rawGet(sim: KubeSim, path: string, token: string): Promise<{ code?: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${sim.url}${path}`,
      { ca: sim.caPem(), headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ code: res.statusCode, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
  });
}

describe('kube-sim authentication, authorisation and CA rotation', () => {
  let sim: KubeSim;

  beforeEach(async () => {
    sim = await startSim();
  });
  afterEach(() => sim.stop());

  it('authenticates a client certificate: CN is the user, O the groups', async () => {
    await sim.issueClientCertificate('alice', ['team-a']);
    const api = kubeConfigFor(sim, { user: 'alice', auth: 'cert' }).makeApiClient(CertificatesV1Api);
    const created = await api.createCertificateSigningRequest({
      body: await csrManifest({
        name: 'alice',
        subject: { commonName: 'alice' },
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      }),
    });
    expect(created.spec.username).toBe('alice');
    expect(created.spec.groups).toEqual(['team-a', 'system:authenticated']);
  });

  it('answers 401 Unauthorized to an unknown token', async () => {
    const { token } = sim.addUser('mallory', []);
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig({ user: 'mallory' }).replace(token, 'forged-token'));
    const err = await kc
      .makeApiClient(CoreV1Api)
      .listNode()
      .catch((e: unknown) => e);
    // client-node drops the body of a 401; the status code is what it reports.
    expect((err as { code: number }).code).toBe(401);
    const raw = await rawGet(sim, '/api/v1/nodes', 'forged-token');
    expect(raw).toEqual({
      code: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });
  });

  it('answers 403 Forbidden outside system:masters until a grant allows it', async () => {
    sim.addUser('bob', ['auditors']);
    const core = kubeConfigFor(sim, { user: 'bob' }).makeApiClient(CoreV1Api);
    const err = await core.listNamespacedSecret({ namespace: 'default' }).catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "default"',
    });
    sim.grant('auditors', ['list'], ['secrets']);
    await expect(core.listNamespacedSecret({ namespace: 'default' })).resolves.toMatchObject({ items: [] });
  });

  it('makes kubeconfigs written before rotateCa() fail TLS verification', async () => {
    const before = kubeConfigFor(sim).makeApiClient(VersionApi);
    await expect(before.getCode()).resolves.toMatchObject({ major: '1' });
    const oldCa = sim.caPem();
    await sim.rotateCa();
    expect(sim.caPem()).not.toBe(oldCa);
    const err = (await before.getCode().catch((e: unknown) => e)) as Error & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(Error);
    expect(`${err.message} ${err.cause?.code ?? ''}`).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const after = kubeConfigFor(sim).makeApiClient(VersionApi);
    await expect(after.getCode()).resolves.toMatchObject({ major: '1' });
  });
});
