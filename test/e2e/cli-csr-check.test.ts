import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCertops } from '../fixtures/run-certops';
import { createCsr } from '../../src/sandbox/pki/issue';

describe('certops csr check', () => {
  let dir: string;
  const serving = {
    commonName: 'system:node:worker-1',
    organizations: ['system:nodes'],
    dnsNames: ['worker-1'],
    ipAddresses: ['10.0.0.5'],
  };
  const flags = [
    '--signer',
    'kubernetes.io/kubelet-serving',
    '--username',
    'system:node:worker-1',
    '--usages',
    'digital signature,server auth',
    '--node-addresses',
    '10.0.0.5,worker-1',
    '--output',
    'json',
  ];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-csr-'));
    await writeFile(join(dir, 'good.pem'), (await createCsr(serving)).csrPem);
    await writeFile(join(dir, 'no-cn.pem'), (await createCsr({ ...serving, commonName: '' })).csrPem);
    await writeFile(
      join(dir, 'weak.pem'),
      (await createCsr({ ...serving, key: 'rsa-1024', ipAddresses: ['10.0.0.66'] })).csrPem,
    );
    // The configuration is what proves a serving certificate's names; the Node's addresses never do.
    await writeFile(join(dir, 'proof.yaml'), "csr:\n  dnsPatterns: ['worker-*']\n  ipPrefixes: ['10.0.0.0/24']\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the JSON verdict of the design and exits 0 for a request whose names the configuration proves', async () => {
    const { code, stdout } = await runCertops(
      ['csr', 'check', '--file', join(dir, 'good.pem'), '--config', join(dir, 'proof.yaml'), ...flags],
      dir,
    );
    const verdict = JSON.parse(stdout);
    expect(Object.keys(verdict)).toEqual([
      'subject',
      'dnsNames',
      'ipAddresses',
      'emailAddresses',
      'uris',
      'keyAlgorithm',
      'keySize',
      'signatureValid',
      'risk',
      'findings',
    ]);
    expect(verdict).toEqual({
      subject: { commonName: 'system:node:worker-1', organizations: ['system:nodes'] },
      dnsNames: ['worker-1'],
      ipAddresses: ['10.0.0.5'],
      emailAddresses: [],
      uris: [],
      keyAlgorithm: 'ECDSA',
      keySize: 256,
      signatureValid: true,
      risk: 'low',
      findings: [expect.objectContaining({ code: 'node-not-checked', severity: 'info' })],
    });
    expect(code).toBe(0);
  });

  it("rates the same request high without configuration: the node's own addresses prove nothing", async () => {
    const { code, stdout } = await runCertops(['csr', 'check', '--file', join(dir, 'good.pem'), ...flags], dir);
    expect(JSON.parse(stdout).findings.map((f: { code: string }) => f.code)).toEqual([
      'dns-not-proven',
      'ip-not-proven',
      'node-not-checked',
    ]);
    expect(code).toBe(1);
  });

  it('lists every finding and exits 1 for a high-risk request', async () => {
    const { code, stdout } = await runCertops(
      ['csr', 'check', '--file', join(dir, 'weak.pem'), '--config', join(dir, 'proof.yaml'), ...flags],
      dir,
    );
    const verdict = JSON.parse(stdout);
    expect(verdict.risk).toBe('high');
    expect(verdict.findings.map((f: { code: string }) => f.code)).toEqual([
      'weak-key',
      'ip-not-node-address',
      'node-not-checked',
    ]);
    expect(code).toBe(1);
  });

  it('prints a readable verdict as text by default', async () => {
    const { stdout } = await runCertops(['csr', 'check', '--file', join(dir, 'weak.pem')], dir);
    expect(stdout).toMatch(/^Risk: +HIGH$/m);
    expect(stdout).toMatch(/^ {2}\[high\] weak-key: RSA 1024-bit key/m);
  });

  it('says a request without a common name has none, and does not speak of Node ""', async () => {
    const { code, stdout } = await runCertops(['csr', 'check', '--file', join(dir, 'no-cn.pem')], dir);
    expect(stdout).toMatch(/^Subject: +O=system:nodes$/m);
    expect(stdout).toMatch(/^ {2}\[high\] cn-not-node: No common name: /m);
    expect(stdout).not.toContain('Node ""');
    expect(stdout).not.toContain('node-not-checked');
    expect(code).toBe(1);
  });

  it('refuses a missing file with one line on stderr and exit code 2', async () => {
    const { code, stderr } = await runCertops(['csr', 'check', '--file', join(dir, 'nope.pem')], dir);
    expect(code).toBe(2);
    expect(stderr).toBe(`certops: --file ${join(dir, 'nope.pem')}: no such file\n`);
  });
});
