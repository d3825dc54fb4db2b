import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Secret } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { PLAINTEXT } from '../../../src/sandbox/kube/encryption';
import { kubeConfigFor, startSim } from './helpers';

type Write = (core: CoreV1Api, stored: V1Secret) => Promise<V1Secret>;

const replaceAsIs: Write = (core, stored) =>
  core.replaceNamespacedSecret({ name: 'db', namespace: 'default', body: stored });
const replaceWithoutVersion: Write = (core, stored) =>
  core.replaceNamespacedSecret({
    name: 'db',
    namespace: 'default',
    body: { ...stored, metadata: { ...stored.metadata, resourceVersion: undefined } },
  });
const replaceChanged: Write = (core, stored) =>
  core.replaceNamespacedSecret({
    name: 'db',
    namespace: 'default',
    body: { ...stored, data: { value: Buffer.from('v2').toString('base64') } },
  });
const patchSameLabel: Write = (core) =>
  core.patchNamespacedSecret(
    { name: 'db', namespace: 'default', body: { metadata: { labels: { tier: 'data' } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
const patchNewLabel: Write = (core) =>
  core.patchNamespacedSecret(
    { name: 'db', namespace: 'default', body: { metadata: { labels: { tier: 'cache' } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );

/**
 * The API server's rule for updates: one that leaves the object as stored is not written (same resourceVersion,
 * no watch event) unless the stored bytes are sealed with a KMS key version that is no longer the current one.
 */
describe('kube-sim writes an unchanged object only when it is stored under an old key', () => {
  const cases: Array<{ name: string; write: Write; rotateKeyFirst?: string; written: boolean }> = [
    { name: 'a replace that changes nothing is not written', write: replaceAsIs, written: false },
    {
      name: 'a replace without resourceVersion that changes nothing is not written',
      write: replaceWithoutVersion,
      written: false,
    },
    { name: 'a merge patch that changes nothing is not written', write: patchSameLabel, written: false },
    { name: 'a replace that changes the data is written', write: replaceChanged, written: true },
    { name: 'a merge patch that changes a label is written', write: patchNewLabel, written: true },
    {
      name: 'an unchanged replace is written after a key rotation, re-encrypting the secret',
      write: replaceAsIs,
      rotateKeyFirst: '2',
      written: true,
    },
    {
      name: 'an unchanged replace is written after KMS is turned off, storing the secret in plain text',
      write: replaceAsIs,
      rotateKeyFirst: PLAINTEXT,
      written: true,
    },
  ];

  let sim: KubeSim;
  let core: CoreV1Api;
  beforeEach(async () => {
    sim = await startSim();
    core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'db', labels: { tier: 'data' } }, stringData: { value: 'v1' } },
    });
  });
  afterEach(() => sim.stop());

  it.each(cases)('$name', async ({ write, rotateKeyFirst, written }) => {
    if (rotateKeyFirst) sim.encryption.setCurrentKey(rotateKeyFirst);
    const stored = await core.readNamespacedSecret({ name: 'db', namespace: 'default' });
    const revisionBefore = sim.store.revision();
    const answer = await write(core, stored);
    expect(answer.metadata?.resourceVersion !== stored.metadata?.resourceVersion).toBe(written);
    expect(sim.store.revision() !== revisionBefore).toBe(written);
    expect(sim.encryption.keyVersionOf('default', 'db')).toBe(rotateKeyFirst ?? '1');
    expect(sim.encryption.report().stale).toEqual([]);
  });

  it('rewrites a re-encrypted secret only once: the second unchanged replace is a no-op again', async () => {
    sim.encryption.setCurrentKey('2');
    const stored = await core.readNamespacedSecret({ name: 'db', namespace: 'default' });
    const first = await replaceAsIs(core, stored);
    const second = await replaceAsIs(core, first);
    expect(first.metadata?.resourceVersion).not.toBe(stored.metadata?.resourceVersion);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it('reports which secrets are still stored under an old key', async () => {
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'api' }, stringData: { token: 't' } },
    });
    sim.encryption.setCurrentKey('2');
    await replaceAsIs(core, await core.readNamespacedSecret({ name: 'db', namespace: 'default' }));
    expect(sim.encryption.report()).toEqual({
      currentKeyVersion: '2',
      secrets: { 'default/api': '1', 'default/db': '2' },
      stale: ['default/api'],
    });
  });
});
