import type { Redis } from 'ioredis';
import { ReencryptCheckpointStore } from '../../../src/state/reencrypt-checkpoint';
import { reencryptNamespace } from '../../../src/operations/reencrypt-secrets';
import {
  type SecretsHttpClient,
  SecretsHttpError,
  secretsHttpClient,
} from '../../../src/operations/secrets-http-client';
import { KubeSim } from '../../../src/sandbox/kube';
import { silentLogger } from '../../../src/util/logger';
import { deleteKeys, redisConnection, testPrefix } from '../queue/fixtures';
import { kubeConfigOf } from '../queue/harness';

const NAMESPACE = 'busy';
const SECRETS = 600;
const PAGE = 100;

/** The re-encryption's calls, counted: lists from the start, 410s seen, and rewrites per secret. */
function countingClient(inner: SecretsHttpClient, opts: { dropFreshToken?: boolean; failAfterRewrites?: number } = {}) {
  const counts = { listsFromStart: 0, expired: 0, rewrites: new Map<string, number>() };
  let total = 0;
  const client: SecretsHttpClient = {
    async list(namespace, limit, continueToken) {
      if (!continueToken) counts.listsFromStart++;
      try {
        return await inner.list(namespace, limit, continueToken);
      } catch (err) {
        if (err instanceof SecretsHttpError && err.code === 410) {
          counts.expired++;
          // An API server that sends no fresh token with its 410.
          if (opts.dropFreshToken) throw new SecretsHttpError(410, err.message);
        }
        throw err;
      }
    },
    read: (namespace, name) => inner.read(namespace, name),
    async replace(secret) {
      if (opts.failAfterRewrites !== undefined && total >= opts.failAfterRewrites)
        throw new SecretsHttpError(403, 'the worker died here');
      total++;
      await inner.replace(secret);
      counts.rewrites.set(secret.metadata.name, (counts.rewrites.get(secret.metadata.name) ?? 0) + 1);
    },
    close: () => inner.close(),
  };
  return { client, counts };
}

// kube-sim keeps only 50 write events, so a page of 100 rewrites expires the continue token of the next page.
describe('re-encryption when continue tokens expire mid-list (410)', () => {
  let sim: KubeSim;
  let redis: Redis;
  let prefix: string;
  let checkpoints: ReencryptCheckpointStore;
  const names = Array.from({ length: SECRETS }, (_, i) => `s-${String(i).padStart(4, '0')}`);

  beforeEach(async () => {
    sim = await KubeSim.start({ historyLimit: 50 });
    sim.store.namespaces.create({ metadata: { name: NAMESPACE } });
    for (const name of names)
      sim.store.secrets.create({
        metadata: { name, namespace: NAMESPACE },
        type: 'Opaque',
        data: { v: Buffer.from(name).toString('base64') },
      });
    sim.encryption.setCurrentKey('2');
    redis = redisConnection();
    prefix = testPrefix('reencrypt-410');
    checkpoints = new ReencryptCheckpointStore(redis, prefix);
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
    await sim.stop();
  });

  const run = (client: SecretsHttpClient, requestId: string) =>
    reencryptNamespace(kubeConfigOf(sim), {
      requestId,
      namespace: NAMESPACE,
      checkpoints,
      logger: silentLogger(),
      client,
      pageSize: PAGE,
    });

  const expectEverySecretRewrittenOnce = (rewrites: Map<string, number>) => {
    expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
    expect([...rewrites.keys()].sort()).toEqual(names);
    expect([...rewrites.values()].every((n) => n === 1)).toBe(true);
  };

  it('continues with the fresh token of each 410: no page listed or rewritten twice, none skipped', async () => {
    const { client, counts } = countingClient(secretsHttpClient(kubeConfigOf(sim), { maxSockets: 8 }));
    try {
      const result = await run(client, 'req-fresh');
      expect(counts.expired).toBeGreaterThan(0);
      expect(counts.listsFromStart).toBe(1);
      expect(result).toMatchObject({ rewritten: SECRETS, skipped: 0, done: true });
      expectEverySecretRewrittenOnce(counts.rewrites);
    } finally {
      client.close();
    }
  });

  it('lists again from the start when the 410 carries no token, and skips what the checkpoint says is done', async () => {
    const { client, counts } = countingClient(secretsHttpClient(kubeConfigOf(sim), { maxSockets: 8 }), {
      dropFreshToken: true,
    });
    try {
      const result = await run(client, 'req-relist');
      expect(counts.listsFromStart).toBeGreaterThan(1);
      expect(result).toMatchObject({ rewritten: SECRETS, skipped: 0, done: true });
      expectEverySecretRewrittenOnce(counts.rewrites);
    } finally {
      client.close();
    }
  });

  it('resumes a crashed run from a checkpoint whose token expired meanwhile, rewriting only the unfinished page onwards', async () => {
    const crashing = countingClient(secretsHttpClient(kubeConfigOf(sim), { maxSockets: 8 }), {
      failAfterRewrites: 250,
    });
    await expect(run(crashing.client, 'req-resume')).rejects.toThrow(/the worker died here/);
    crashing.client.close();
    const saved = await checkpoints.load('req-resume', NAMESPACE);
    expect(saved).toMatchObject({ lastName: names[2 * PAGE - 1], done: false });
    sim.store.compact();

    const resumed = countingClient(secretsHttpClient(kubeConfigOf(sim), { maxSockets: 8 }));
    try {
      const result = await run(resumed.client, 'req-resume');
      expect(resumed.counts.expired).toBeGreaterThan(0);
      expect(resumed.counts.listsFromStart).toBe(0);
      // The two finished pages are not touched again; the third (interrupted) page onwards is rewritten once.
      expect([...resumed.counts.rewrites.keys()].sort()).toEqual(names.slice(2 * PAGE));
      expect(result).toMatchObject({ rewritten: SECRETS, done: true });
      expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
    } finally {
      resumed.client.close();
    }
  });
});
