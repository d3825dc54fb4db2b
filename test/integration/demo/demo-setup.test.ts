import 'reflect-metadata';
import { parsePkiDump } from '../../../src/sources/pki-dir';
import { KubeadmNodePki } from '../../../src/sandbox/demo/kubeadm-node-pki';
import { NO_REDIS_MESSAGE, chooseRedis } from '../../../src/sandbox/demo/redis-choice';
import { parsePort } from '../../../src/commands/demo';
import { UsageError } from '../../../src/util/errors';

const DAY = 86400_000;

describe('demo setup', () => {
  it('says how to get Redis when REDIS_URL does not answer and redis-server is not installed', async () => {
    const attempt = chooseRedis({ REDIS_URL: 'redis://127.0.0.1:1' }, '/nonexistent/redis-server');
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(NO_REDIS_MESSAGE);
    expect(NO_REDIS_MESSAGE).toContain('apt-get install redis-server');
  });

  it('uses REDIS_URL when it answers', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = await chooseRedis({ REDIS_URL: url }, '/nonexistent/redis-server');
    expect(redis).toMatchObject({ url, kind: 'shared' });
    await redis.stop();
  });

  it('refuses a port that is not a number', () => {
    expect(() => parsePort('eighty')).toThrow(UsageError);
    expect(() => parsePort('70000')).toThrow(/between 0 and 65535/);
    expect(parsePort('8700')).toBe(8700);
  });

  it('prints a node PKI dump whose API server certificate expires in five days, and renews it', async () => {
    const now = Date.now();
    const pki = await KubeadmNodePki.create(() => now);
    const apiserver = () => parsePkiDump(pki.dump()).certificates.find((c) => c.name === 'apiserver');
    expect(Math.round(((apiserver()?.notAfter.getTime() ?? 0) - now) / DAY)).toBe(5);
    expect(parsePkiDump(pki.dump()).certificates.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ca', 'etcd-server', 'admin.conf']),
    );
    const table = await pki.renew();
    expect(Math.round(((apiserver()?.notAfter.getTime() ?? 0) - now) / DAY)).toBe(365);
    expect(table).toMatch(/^apiserver\s+[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC/m);
  });
});
