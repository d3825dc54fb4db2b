import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { kubeConfigFor, startSim, statusOf } from './helpers';

describe('kube-sim secrets', () => {
  let sim: KubeSim;
  let core: CoreV1Api;

  beforeEach(async () => {
    sim = await startSim({ historyLimit: 20 });
    core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    for (const [namespace, name, type] of [
      ['default', 'db', 'Opaque'],
      ['default', 'web-tls', 'kubernetes.io/tls'],
      ['team-a', 'api-key', 'Opaque'],
      ['team-a', 'ingress-tls', 'kubernetes.io/tls'],
    ] as const) {
      await core.createNamespacedSecret({ namespace, body: { metadata: { name }, type, stringData: { value: name } } });
    }
  });
  afterEach(() => sim.stop());

  it('pages through secrets of every namespace with limit and continue', async () => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listSecretForAllNamespaces({ limit: 3, _continue: token });
      names.push(...page.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`));
      token = page.metadata?._continue;
    } while (token);
    expect(names).toEqual(['default/db', 'default/web-tls', 'team-a/api-key', 'team-a/ingress-tls']);
  });

  it('filters on type with = and !=', async () => {
    const tls = await core.listSecretForAllNamespaces({ fieldSelector: 'type=kubernetes.io/tls' });
    expect(tls.items.map((s) => s.metadata?.name)).toEqual(['web-tls', 'ingress-tls']);
    const other = await core.listNamespacedSecret({ namespace: 'team-a', fieldSelector: 'type!=kubernetes.io/tls' });
    expect(other.items.map((s) => s.metadata?.name)).toEqual(['api-key']);
  });

  it('answers 410 Expired to a continue token older than the retained history', async () => {
    const first = await core.listSecretForAllNamespaces({ limit: 2 });
    for (let i = 0; i < 25; i++)
      await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: `churn-${i}` } } });
    const err = await core
      .listSecretForAllNamespaces({ limit: 2, _continue: first.metadata?._continue })
      .catch((e: unknown) => e);
    expect((err as { code: number }).code).toBe(410);
    const status = statusOf(err);
    expect(status.reason).toBe('Expired');
    expect(status.message).toMatch(/^The provided continue parameter is too old to display a consistent list result/);
  });

  it('refuses a replace with a stale resourceVersion with the real Conflict Status', async () => {
    const original = await core.readNamespacedSecret({ name: 'db', namespace: 'default' });
    await core.replaceNamespacedSecret({
      name: 'db',
      namespace: 'default',
      body: { ...original, stringData: { value: 'v2' } },
    });
    const err = await core
      .replaceNamespacedSecret({ name: 'db', namespace: 'default', body: { ...original, stringData: { value: 'v3' } } })
      .catch((e: unknown) => e);
    expect((err as { code: number }).code).toBe(409);
    expect(JSON.parse((err as { body: string }).body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on secrets "db": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'db', kind: 'secrets' },
      code: 409,
    });
    const stored = await core.readNamespacedSecret({ name: 'db', namespace: 'default' });
    expect(Buffer.from(stored.data?.value ?? '', 'base64').toString()).toBe('v2');
  });

  it('records the KMS key version of every write, so a rewrite moves a secret to the new key', async () => {
    expect(sim.encryption.secretsNotEncryptedWith(sim.encryption.currentKeyVersion)).toEqual([]);
    sim.encryption.setCurrentKey('2');
    expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([
      'default/db',
      'default/web-tls',
      'team-a/api-key',
      'team-a/ingress-tls',
    ]);
    const db = await core.readNamespacedSecret({ name: 'db', namespace: 'default' });
    await core.replaceNamespacedSecret({ name: 'db', namespace: 'default', body: db });
    expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([
      'default/web-tls',
      'team-a/api-key',
      'team-a/ingress-tls',
    ]);
  });

  it('answers 409 AlreadyExists and 404 for a missing namespace', async () => {
    const dup = await core
      .createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'db' } } })
      .catch((e: unknown) => e);
    expect(statusOf(dup)).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'secrets "db" already exists' });
    const missing = await core
      .createNamespacedSecret({ namespace: 'nowhere', body: { metadata: { name: 'x' } } })
      .catch((e: unknown) => e);
    expect(statusOf(missing)).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });
});
