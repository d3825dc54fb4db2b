import 'reflect-metadata';
import { X509Certificates } from '@peculiar/x509';
import { CoreV1Api } from '@kubernetes/client-node';
import { KubeSim } from '../../../src/sandbox/kube';
import { scanCluster } from '../../../src/sources/cluster-inventory';
import { MAX_CERTIFICATES_PER_VALUE, scanSecrets } from '../../../src/sources/secrets';
import {
  b64,
  capturingLogger,
  clusterConfig,
  issueChain,
  kubeConfigFor,
  rawSecret,
  tlsSecret,
  type IssuedChain,
} from './sim-cluster';

describe('secrets source', () => {
  let sim: KubeSim;
  let web: IssuedChain;
  let api: IssuedChain;

  beforeAll(async () => {
    sim = await KubeSim.start();
    [web, api] = await Promise.all([issueChain('web.example.com'), issueChain('api.example.com')]);
  });
  afterAll(async () => {
    await sim.stop();
  });
  afterEach(() => {
    for (const secret of sim.store.secrets.list())
      sim.store.secrets.delete(secret.metadata.name ?? '', secret.metadata.namespace);
    sim.faults.clear();
  });

  async function collect(pageSize = 250) {
    const core = kubeConfigFor(sim).makeApiClient(CoreV1Api);
    const certificates = [];
    const errors = [];
    for await (const page of scanSecrets(core, { pageSize, cluster: 'sim' })) {
      certificates.push(...page.certificates);
      errors.push(...page.errors);
    }
    return { certificates, errors };
  }

  it('reports every certificate of TLS chains and CA bundles, at secret:<ns>/<name>#<key>', async () => {
    sim.store.secrets.create(tlsSecret('shop', 'web-tls', web));
    sim.store.secrets.create(
      rawSecret('ops', 'bundle', {
        'cert.pem': b64(api.leaf.certPem),
        password: b64('hunter2'),
        'key.pem': b64(api.leaf.keyPem),
      }),
    );

    const { certificates, errors } = await collect();

    expect(errors).toEqual([]);
    const found = certificates.map((r) => `${r.locations[0]} ${r.subjectCN}`).sort();
    expect(found).toEqual([
      'secret:ops/bundle#cert.pem api.example.com',
      'secret:shop/web-tls#ca.crt web.example.com-ca',
      'secret:shop/web-tls#tls.crt web.example.com',
      'secret:shop/web-tls#tls.crt web.example.com-ca',
    ]);
    expect(certificates.every((r) => r.cluster === 'sim' && r.source === 'secret')).toBe(true);
  });

  it('asks the server to leave out Helm release secrets', async () => {
    sim.store.secrets.create(
      rawSecret('apps', 'sh.helm.release.v1.web.v1', { release: b64(web.leaf.certPem) }, 'helm.sh/release.v1'),
    );
    sim.store.secrets.create(tlsSecret('apps', 'web-tls', web));

    const { certificates } = await collect();

    expect(certificates.flatMap((r) => r.locations).filter((l) => l.includes('helm'))).toEqual([]);
    expect(certificates.some((r) => r.locations[0] === 'secret:apps/web-tls#tls.crt')).toBe(true);
  });

  it('turns each hostile value into an error at its location and still finishes the scan', async () => {
    const der = web.leaf.cert.rawData;
    const pkcs7 = new X509Certificates([web.leaf.cert, web.ca.cert]).export('pem');
    const longChain = web.leaf.certPem.repeat(5000);
    sim.store.secrets.create(tlsSecret('aaa', 'good-first', web));
    sim.store.secrets.create(
      rawSecret('hostile', 'truncated', { 'tls.crt': b64(web.leaf.certPem.slice(0, 300)) }, 'kubernetes.io/tls'),
    );
    sim.store.secrets.create(rawSecret('hostile', 'der', { 'tls.crt': b64(new Uint8Array(der)) }, 'kubernetes.io/tls'));
    sim.store.secrets.create(rawSecret('hostile', 'pkcs7', { 'ca.crt': b64(pkcs7) }));
    sim.store.secrets.create(
      rawSecret('hostile', 'key-only', { 'tls.crt': b64(web.leaf.keyPem) }, 'kubernetes.io/tls'),
    );
    sim.store.secrets.create(rawSecret('hostile', 'not-base64', { 'tls.crt': '!!not base64!!' }, 'kubernetes.io/tls'));
    sim.store.secrets.create(rawSecret('hostile', 'empty', { 'tls.crt': '', 'tls.key': '' }, 'kubernetes.io/tls'));
    sim.store.secrets.create(rawSecret('hostile', 'long-chain', { 'tls.crt': b64(longChain) }, 'kubernetes.io/tls'));
    sim.store.secrets.create(tlsSecret('zzz', 'good-last', api));

    const { certificates, errors } = await collect(3);

    const byLocation = new Map(errors.map((e) => [e.location, e.message]));
    expect(byLocation.get('secret:hostile/truncated#tls.crt')).toMatch(/truncated PEM/);
    expect(byLocation.get('secret:hostile/der#tls.crt')).toMatch(/DER/);
    expect(byLocation.get('secret:hostile/pkcs7#ca.crt')).toMatch(/PKCS#7/);
    expect(byLocation.get('secret:hostile/key-only#tls.crt')).toMatch(/no certificate/);
    expect(byLocation.get('secret:hostile/not-base64#tls.crt')).toMatch(/not valid base64/);
    expect(byLocation.get('secret:hostile/empty#tls.crt')).toMatch(/empty/);
    expect(byLocation.get('secret:hostile/long-chain#tls.crt')).toMatch(/5000 PEM blocks/);
    expect(errors).toHaveLength(7);
    // The secrets before and after the hostile ones are read, and the long chain is read up to the bound.
    const locations = certificates.map((r) => r.locations[0]);
    expect(locations).toContain('secret:aaa/good-first#tls.crt');
    expect(locations).toContain('secret:zzz/good-last#tls.crt');
    expect(locations.filter((l) => l === 'secret:hostile/long-chain#tls.crt')).toHaveLength(MAX_CERTIFICATES_PER_VALUE);
  });

  it('restarts the list when the continue token expires (410) and reports each secret once', async () => {
    for (let i = 0; i < 30; i++)
      sim.store.secrets.create(tlsSecret(`ns-${i % 3}`, `tls-${String(i).padStart(2, '0')}`, i % 2 ? web : api));
    sim.faults.failNext(1, /\/api\/v1\/secrets\?.*continue=/, 410);
    const { logger, lines } = capturingLogger();

    const scan = await scanCluster(clusterConfig(), { kubeConfig: kubeConfigFor(sim), logger, secretsPageSize: 7 });

    const secretRecords = scan.certificates.filter((r) => r.source === 'secret');
    for (const record of secretRecords) expect(new Set(record.locations).size).toBe(record.locations.length);
    const secretLocations = secretRecords.flatMap((r) => r.locations);
    expect(secretLocations.filter((l) => l.endsWith('#tls.crt'))).toHaveLength(60);
    expect(secretLocations.filter((l) => l.endsWith('#ca.crt'))).toHaveLength(30);
    expect(scan.errors.filter((e) => e.source === 'secret')).toEqual([]);
    expect(lines().some((line) => /continue token expired.*restarting the list/.test(line))).toBe(true);
    // Two chains, each leaf and CA: four certificates, each found in many places.
    expect(secretRecords).toHaveLength(4);
  });
});
