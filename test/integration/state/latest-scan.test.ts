import 'reflect-metadata';
import { parseCertificates, type CertificateRecord } from '../../../src/core/x509';
import { issueCertificate } from '../../../src/sandbox/pki/issue';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';
import { LatestScanStore } from '../../../src/state/latest-scan';
import { openTestRedis, type TestRedis } from './redis-fixture';
import { silentLogger } from '../../../src/util/logger';

let t: TestRedis;
let web: CertificateRecord;

beforeAll(async () => {
  t = await openTestRedis('latest-scan');
  const issued = await issueCertificate({
    commonName: 'web.example.com',
    notBefore: new Date('2030-01-01T00:00:00Z'),
    notAfter: new Date('2030-02-01T00:00:00Z'),
  });
  const parsed = parseCertificates(issued.certPem, {
    source: 'secret',
    location: 'secret:shop/web-tls#tls.crt',
    cluster: 'prod',
  });
  if (!parsed.ok) throw new Error(parsed.message);
  web = parsed.certificates[0] as CertificateRecord;
});
afterAll(async () => {
  await t.cleanup();
});

function scan(cluster: string, partial: Partial<ClusterScan> = {}): ClusterScan {
  return { cluster, certificates: [], keys: [], errors: [], durationSeconds: 0.25, ...partial };
}

describe('latest scan store', () => {
  it('returns a stored scan with its dates as Date objects', async () => {
    const store = new LatestScanStore(t.redis, t.prefix, silentLogger());
    const at = new Date('2030-01-15T10:00:00Z');
    const key = {
      cluster: 'prod',
      keyId: 'https://v/keys/k/1',
      keyName: 'k',
      version: '1',
      expiresOn: new Date('2030-03-01T00:00:00Z'),
      status: 'ok' as const,
      inUse: true,
      newerVersion: false,
      rotationPolicy: null,
    };
    const errors = [
      { location: 'secret:a/b#tls.crt', message: 'not a certificate', source: 'secrets', reason: 'invalid' as const },
    ];
    await store.put(scan('prod', { certificates: [web], keys: [key], errors }), at);

    const stored = await store.get('prod');
    expect(stored?.at).toEqual(at);
    expect(stored?.scan.certificates).toEqual([web]);
    expect(stored?.scan.certificates[0]?.notAfter).toBeInstanceOf(Date);
    expect(stored?.scan.keys).toEqual([key]);
    expect(stored?.scan.errors).toEqual(errors);
    expect(stored?.scan.durationSeconds).toBe(0.25);
  });

  it('keeps a null key expiry null', async () => {
    const store = new LatestScanStore(t.redis, t.prefix, silentLogger());
    const key = {
      cluster: 'nokey',
      keyId: 'k',
      keyName: 'k',
      version: '1',
      expiresOn: null,
      status: 'ok' as const,
      inUse: true,
      newerVersion: false,
      rotationPolicy: true,
    };
    await store.put(scan('nokey', { keys: [key] }), new Date());
    expect((await store.get('nokey'))?.scan.keys[0]?.expiresOn).toBeNull();
  });

  it('replaces a cluster scan with the newer one and lists every cluster by name', async () => {
    const store = new LatestScanStore(t.redis, `${t.prefix}:all`, silentLogger());
    await store.put(scan('staging'), new Date('2030-01-01T00:00:00Z'));
    await store.put(scan('prod', { certificates: [web] }), new Date('2030-01-01T00:00:00Z'));
    await store.put(scan('prod'), new Date('2030-01-02T00:00:00Z'));

    const all = await store.all();
    expect(all.map((s) => s.scan.cluster)).toEqual(['prod', 'staging']);
    expect(all[0]?.scan.certificates).toEqual([]);
    expect(all[0]?.at).toEqual(new Date('2030-01-02T00:00:00Z'));
  });

  it('answers undefined for a cluster never scanned, and forgets a deleted one', async () => {
    const store = new LatestScanStore(t.redis, `${t.prefix}:del`, silentLogger());
    expect(await store.get('unknown')).toBeUndefined();
    await store.put(scan('gone'), new Date());
    await store.delete('gone');
    expect(await store.get('gone')).toBeUndefined();
    expect(await store.all()).toEqual([]);
  });

  it('keeps only the clusters still configured', async () => {
    const store = new LatestScanStore(t.redis, `${t.prefix}:retain`, silentLogger());
    for (const cluster of ['a', 'b', 'c']) await store.put(scan(cluster), new Date());
    await store.retainOnly(['b', 'z']);
    expect((await store.all()).map((s) => s.scan.cluster)).toEqual(['b']);
  });
});
