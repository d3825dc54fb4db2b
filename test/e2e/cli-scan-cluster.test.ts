import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeSim } from '../../src/sandbox/kube';
import { issueCertificate } from '../../src/sandbox/pki/issue';
import { runCertops } from '../fixtures/run-certops';

const DAY = 86400_000;
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface ScanJson {
  certificates: Array<{
    name: string;
    source: string;
    location: string;
    status: string;
    notAfter: string;
    serialNumber: string;
    isCA: boolean;
  }>;
  keys: unknown[];
  errors: Array<{ location: string; message: string }>;
}

describe('certops scan against a live cluster', () => {
  let kube: KubeSim;
  let configPath: string;
  let kubeconfigPath: string;
  let dir: string;
  // The simulator answering the binary lives in this process, so the binary runs asynchronously.
  const certops = (args: string[]) => runCertops(args, dir);

  beforeAll(async () => {
    kube = await KubeSim.start();
    const ca = await issueCertificate({
      commonName: 'shop-ca',
      isCA: true,
      notAfter: new Date(Date.now() + 3650 * DAY),
    });
    const leaf = await issueCertificate(
      {
        commonName: 'shop.example.com',
        dnsNames: ['shop.example.com'],
        notAfter: new Date(Date.now() + 10 * DAY),
        serialNumber: '0abc12',
      },
      ca,
    );
    kube.store.secrets.create({
      metadata: { namespace: 'shop', name: 'shop-tls' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(leaf.certPem + ca.certPem), 'tls.key': b64(leaf.keyPem) },
    });
    dir = await mkdtemp(join(tmpdir(), 'certops-scan-cluster-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    await kube.writeKubeconfig(kubeconfigPath);
    configPath = join(dir, 'certops.yaml');
    await writeFile(configPath, stringify({ clusters: [{ name: 'sim', kubeconfig: kubeconfigPath }] }));
  });
  afterAll(async () => {
    await kube?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the certificates of the cluster's TLS secrets as JSON, classified", async () => {
    const result = await certops(['scan', '--config', configPath, '--cluster', 'sim', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ScanJson;
    const leaf = json.certificates.find((c) => c.location === 'secret:shop/shop-tls#tls.crt' && !c.isCA);
    expect(leaf).toMatchObject({
      name: 'shop.example.com',
      source: 'secret',
      status: 'warning',
      serialNumber: '0abc12',
    });
    expect(json.certificates.some((c) => c.name === 'shop-ca' && c.isCA)).toBe(true);
    // The API server's own serving certificate, read from the endpoint.
    expect(json.certificates.some((c) => c.name === 'kube-apiserver' && c.location.startsWith('tls:'))).toBe(true);
    expect(json.keys).toEqual([]);
  });

  it('exits 1 with --fail-within 30d when something expires within 30 days, 0 with 7d', async () => {
    expect((await certops(['scan', '--config', configPath, '--cluster', 'sim', '--fail-within', '30d'])).code).toBe(1);
    const quiet = await certops(['scan', '--config', configPath, '--cluster', 'sim', '--fail-within', '7d']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^CERTIFICATE\s+EXPIRES/);
    expect(quiet.stdout).toContain('shop.example.com');
  });

  it('scans an ad hoc --kubeconfig the same way, with no configuration file', async () => {
    const result = await certops(['scan', '--kubeconfig', kubeconfigPath, '--output', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ScanJson;
    expect(json.certificates.some((c) => c.location === 'secret:shop/shop-tls#tls.crt')).toBe(true);
  });

  it('reports an unreachable cluster as an error entry, not a crash', async () => {
    const downConfig = kube.kubeconfig().replace(/server: \S+/, 'server: https://127.0.0.1:1');
    await writeFile(join(dir, 'kubeconfig-down'), downConfig);
    const result = await certops(['scan', '--kubeconfig', join(dir, 'kubeconfig-down'), '--output', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ScanJson;
    expect(json.errors.length).toBeGreaterThan(0);
    expect(json.errors.some((e) => /secret/.test(e.location) || /secret/.test(e.message))).toBe(true);
  });
});
