import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsr, issueCertificate } from '../../src/sandbox/pki/issue';
import { runCertops } from '../fixtures/run-certops';
import { writeKubeadmPki, type KubeadmPkiFixture } from '../fixtures/kubeadm-pki';

describe('certops scan --pki-dir', () => {
  let pki: KubeadmPkiFixture;
  beforeAll(async () => {
    pki = await writeKubeadmPki();
    await writeFile(join(pki.pkiDir, 'not-a-cert.crt'), 'hello');
  });
  afterAll(() => pki.cleanup());

  it('prints a kubeadm-like table of every certificate, with no configuration file at all', async () => {
    const { code, stdout, stderr } = await runCertops(['scan', '--pki-dir', pki.pkiDir], pki.root);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^CERTIFICATE +EXPIRES +RESIDUAL TIME +CERTIFICATE AUTHORITY +EXTERNALLY MANAGED +SOURCE$/,
    );
    expect(lines).toHaveLength(16);
    expect(lines.find((l) => l.startsWith('apiserver '))).toMatch(
      /^apiserver +[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC +4d +ca +no +\S+apiserver\.crt$/,
    );
    expect(stderr).toBe(
      `error: ${join(pki.pkiDir, 'not-a-cert.crt')}: not PEM: no "-----BEGIN CERTIFICATE-----" in it\n`,
    );
  });

  it('prints the JSON of the design, filtered by --within', async () => {
    const { code, stdout } = await runCertops(
      ['scan', '--pki-dir', pki.pkiDir, '--output', 'json', '--within', '30d'],
      pki.root,
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['certificates', 'keys', 'errors']);
    expect(json.certificates).toHaveLength(1);
    const [apiserver] = json.certificates;
    expect(Object.keys(apiserver)).toEqual([
      'name',
      'source',
      'location',
      'subject',
      'issuer',
      'serialNumber',
      'notBefore',
      'notAfter',
      'residualSeconds',
      'isCA',
      'externallyManaged',
      'status',
      'dnsNames',
      'ipAddresses',
    ]);
    expect(apiserver).toMatchObject({
      name: 'apiserver',
      source: 'pki-dir',
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      isCA: false,
      externallyManaged: false,
      status: 'critical',
      ipAddresses: ['10.96.0.1', '192.168.0.10'],
    });
    expect(apiserver.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(apiserver.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(json.errors).toEqual([
      { location: join(pki.pkiDir, 'not-a-cert.crt'), message: expect.stringMatching(/not PEM/) },
    ]);
  });

  it('exits 1 when something expires within --fail-within, 0 when nothing does', async () => {
    expect(
      (await runCertops(['scan', '--pki-dir', pki.pkiDir, '--fail-within', '30d', '--output', 'json'], pki.root)).code,
    ).toBe(1);
    expect(
      (await runCertops(['scan', '--pki-dir', pki.pkiDir, '--fail-within', '2d', '--output', 'json'], pki.root)).code,
    ).toBe(0);
  });

  it.each([
    { name: 'a bad duration', args: ['--within', 'soon'], message: /--within "soon": expected a duration/ },
    {
      name: 'a missing folder',
      args: ['--pki-dir', '/nonexistent/pki'],
      message: /--pki-dir \/nonexistent\/pki: no such folder/,
    },
    { name: 'no source at all', args: [], message: /nothing to scan/ },
    {
      name: 'a file given as the folder',
      args: ['--pki-dir', 'PKI/ca.crt'],
      message: /^certops: --pki-dir \S+\/ca\.crt: \S+\/ca\.crt is a file; give the folder that holds the certificates/,
    },
  ])('refuses $name with one line on stderr and exit code 2', async ({ args, message }) => {
    const withDir =
      args.includes('--pki-dir') || args.length === 0
        ? args.map((arg) => arg.replace(/^PKI\//, `${pki.pkiDir}/`))
        : ['--pki-dir', pki.pkiDir, ...args];
    const { code, stdout, stderr } = await runCertops(['scan', ...withDir], pki.root);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('says a folder holds no certificates instead of printing an empty table as if all were well, and fails --fail-within', async () => {
    const empty = join(pki.root, 'empty-pki');
    await mkdir(join(empty, 'etcd'), { recursive: true });
    const table = await runCertops(['scan', '--pki-dir', empty], pki.root);
    expect(table.stderr).toBe(`error: no certificates found in ${empty}\n`);
    expect(table.code).toBe(0);
    const json = JSON.parse((await runCertops(['scan', '--pki-dir', empty, '--output', 'json'], pki.root)).stdout);
    expect(json.errors).toEqual([{ location: empty, message: `no certificates found in ${empty}` }]);
    const gate = await runCertops(['scan', '--pki-dir', empty, '--fail-within', '30d'], pki.root);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toContain(`no certificates found in ${empty}`);
  });

  it('prints serial numbers as openssl x509 -serial does, without the DER sign byte', async () => {
    const dir = join(pki.root, 'serial-pki');
    await mkdir(dir);
    await writeFile(
      join(dir, 'legacy.crt'),
      (await issueCertificate({ commonName: 'legacy', serialNumber: '008f67a1' })).certPem,
    );
    const json = JSON.parse((await runCertops(['scan', '--pki-dir', dir, '--output', 'json'], pki.root)).stdout);
    expect(json.certificates.map((c: { serialNumber: string }) => c.serialNumber)).toEqual(['8f67a1']);
  });

  it('lists a .crt that holds only a private key as an error, not silently skipped', async () => {
    const keyOnly = join(pki.root, 'key-only-pki');
    await mkdir(keyOnly);
    await writeFile(join(keyOnly, 'apiserver.crt'), (await createCsr({ commonName: 'x' })).keyPem);
    const json = JSON.parse((await runCertops(['scan', '--pki-dir', keyOnly, '--output', 'json'], pki.root)).stdout);
    expect(json.errors).toEqual([
      {
        location: join(keyOnly, 'apiserver.crt'),
        message: 'no certificate in it, only key material (the certificate belongs here, the key in the .key file)',
      },
      { location: keyOnly, message: `no certificates found in ${keyOnly}` },
    ]);
  });
});
