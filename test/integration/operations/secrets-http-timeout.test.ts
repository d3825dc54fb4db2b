import { KubeConfig } from '@kubernetes/client-node';
import { TransientError } from '../../../src/operations/errors/transient-error';
import { ReencryptCheckpointStore } from '../../../src/state/reencrypt-checkpoint';
import { reencryptNamespace } from '../../../src/operations/reencrypt-secrets';
import { KubeSim } from '../../../src/sandbox/kube';
import { silentLogger } from '../../../src/util/logger';
import { deleteKeys, redisConnection, testPrefix } from '../queue/fixtures';
import { tcpFront } from './tcp-front';

describe('re-encryption against an API server that stops answering', () => {
  it('gives up on a hung call with a retryable error, and a retry finishes once the server answers again', async () => {
    const sim = await KubeSim.start();
    // A stuck API server: it accepts connections and never answers.
    const front = await tcpFront(Number(new URL(sim.url).port), 'hang');
    const redis = redisConnection();
    const prefix = testPrefix('secrets-timeout');
    try {
      sim.store.namespaces.create({ metadata: { name: 'stuck' } });
      for (let i = 0; i < 20; i++)
        sim.store.secrets.create({ metadata: { name: `s-${i}`, namespace: 'stuck' }, type: 'Opaque', data: {} });
      sim.encryption.setCurrentKey('2');
      const kc = new KubeConfig();
      kc.loadFromString(sim.kubeconfig().replace(sim.url, `https://127.0.0.1:${front.port}`));
      const options = {
        requestId: 'req-hung',
        namespace: 'stuck',
        checkpoints: new ReencryptCheckpointStore(redis, prefix),
        logger: silentLogger(),
        timeoutMs: 300,
      };

      const hung = reencryptNamespace(kc, options);
      await expect(hung).rejects.toBeInstanceOf(TransientError);
      await expect(hung).rejects.toThrow(/listing secrets in stuck: GET .* no answer within 300 ms/);
      expect(sim.encryption.secretsNotEncryptedWith('2')).toHaveLength(20);

      front.setMode('forward');
      // Only the hung phase needs the short deadline; a busy CI machine may take longer than 300 ms to answer.
      await expect(reencryptNamespace(kc, { ...options, timeoutMs: 15_000 })).resolves.toMatchObject({
        rewritten: 20,
        done: true,
      });
      expect(sim.encryption.secretsNotEncryptedWith('2')).toEqual([]);
    } finally {
      await front.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
      await sim.stop();
    }
  });
});
