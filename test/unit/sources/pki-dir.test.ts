import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parsePkiDump, pkiDumpScript, scanPkiDir, KEY_PLACEHOLDER } from '../../../src/sources/pki-dir';
import type { Inventory } from '../../../src/sources/inventory';
import { writeKubeadmPki, type KubeadmPkiFixture } from '../../fixtures/kubeadm-pki';

const KUBEADM_NAMES = [
  'admin.conf',
  'apiserver',
  'apiserver-etcd-client',
  'apiserver-kubelet-client',
  'ca',
  'controller-manager.conf',
  'etcd-ca',
  'etcd-healthcheck-client',
  'etcd-peer',
  'etcd-server',
  'front-proxy-ca',
  'front-proxy-client',
  'kubelet.conf',
  'scheduler.conf',
  'super-admin.conf',
];
const byName = (inventory: Inventory) => Object.fromEntries(inventory.certificates.map((r) => [r.name, r]));

describe('reading a kubeadm PKI folder', () => {
  let pki: KubeadmPkiFixture;
  let external: KubeadmPkiFixture;
  beforeAll(async () => {
    [pki, external] = await Promise.all([writeKubeadmPki(), writeKubeadmPki({ externalCa: true })]);
  });
  afterAll(async () => {
    await Promise.all([pki.cleanup(), external.cleanup()]);
  });

  it('finds every certificate under the names kubeadm prints, and nothing else', async () => {
    const inventory = await scanPkiDir(pki.pkiDir);
    expect(inventory.errors).toEqual([]);
    expect(inventory.certificates.map((r) => r.name).sort()).toEqual(KUBEADM_NAMES);
  });

  it('names the issuing CA of each certificate and sees that every CA key is present', async () => {
    const records = byName(await scanPkiDir(pki.pkiDir));
    expect(records['etcd-server']).toMatchObject({
      certificateAuthority: 'etcd-ca',
      externallyManaged: false,
      locations: [join(pki.pkiDir, 'etcd/server.crt')],
    });
    expect(records['front-proxy-client']?.certificateAuthority).toBe('front-proxy-ca');
    expect(records['admin.conf']).toMatchObject({
      certificateAuthority: 'ca',
      locations: [join(pki.confDir, 'admin.conf')],
    });
    expect(records['kubelet.conf']).toMatchObject({ subjectCN: 'system:node:cp-1', locations: [pki.kubeletClientPem] });
    expect(records.ca).toMatchObject({ isCA: true, externallyManaged: false });
    expect(records.ca?.certificateAuthority).toBeUndefined();
  });

  it('marks what the missing ca.key signed as externally managed, and nothing else', async () => {
    const records = byName(await scanPkiDir(external.pkiDir));
    expect(records.apiserver?.externallyManaged).toBe(true);
    expect(records['admin.conf']?.externallyManaged).toBe(true);
    expect(records.ca?.externallyManaged).toBe(true);
    expect(records['etcd-server']?.externallyManaged).toBe(false);
  });

  it('lists a garbage .crt and an unreadable kubelet certificate as errors and still reports the rest', async () => {
    const fixture = await writeKubeadmPki();
    try {
      await writeFile(join(fixture.pkiDir, 'broken.crt'), 'garbage');
      await rm(fixture.kubeletClientPem);
      const inventory = await scanPkiDir(fixture.pkiDir);
      expect(inventory.errors).toEqual([
        { location: join(fixture.pkiDir, 'broken.crt'), message: expect.stringMatching(/not PEM/) },
        {
          location: join(fixture.confDir, 'kubelet.conf'),
          message: `cannot read ${fixture.kubeletClientPem}: not readable from here`,
        },
      ]);
      expect(inventory.certificates).toHaveLength(KUBEADM_NAMES.length - 1);
    } finally {
      await fixture.cleanup();
    }
  });

  it('refuses a folder that does not exist, or a file, with a usage error', async () => {
    await expect(scanPkiDir(join(pki.root, 'nope'))).rejects.toThrow('no such folder');
    await expect(scanPkiDir(join(pki.pkiDir, 'ca.crt', 'x'))).rejects.toThrow('no such folder');
    await expect(scanPkiDir(join(pki.pkiDir, 'ca.crt'))).rejects.toThrow(`${join(pki.pkiDir, 'ca.crt')} is a file`);
  });

  it('lists a .crt holding keys but no certificate as an error, and keeps keys beside a certificate quiet', async () => {
    const fixture = await writeKubeadmPki();
    try {
      const caKey = await readFile(join(fixture.pkiDir, 'ca.key'), 'utf8');
      const apiserver = await readFile(join(fixture.pkiDir, 'apiserver.crt'), 'utf8');
      await writeFile(join(fixture.pkiDir, 'only-key.crt'), caKey);
      await writeFile(join(fixture.pkiDir, 'apiserver.crt'), `${apiserver}${caKey}`);
      const inventory = await scanPkiDir(fixture.pkiDir);
      expect(inventory.errors).toEqual([
        {
          location: join(fixture.pkiDir, 'only-key.crt'),
          message: expect.stringMatching(/^no certificate in it, only key material/),
        },
      ]);
      expect(inventory.certificates).toHaveLength(KUBEADM_NAMES.length);
    } finally {
      await fixture.cleanup();
    }
  });

  it('reads the node dump printed by the dump script exactly like the folder, without any private key in it', async () => {
    const { stdout } = await promisify(execFile)('sh', ['-c', pkiDumpScript(pki.pkiDir)]);
    expect(stdout).not.toMatch(/PRIVATE KEY|client-key-data/);
    expect(stdout).toContain(`==> ${join(pki.pkiDir, 'ca.key')} <==\n${KEY_PLACEHOLDER}`);
    const fromDump = parsePkiDump(stdout, pki.pkiDir);
    const fromDisk = await scanPkiDir(pki.pkiDir);
    const summary = (inventory: Inventory) =>
      inventory.certificates
        .map((r) => [r.name, r.fingerprint256, r.certificateAuthority, r.externallyManaged, r.locations])
        .sort();
    expect(fromDump.errors).toEqual([]);
    expect(summary(fromDump)).toEqual(summary(fromDisk));
  });

  it("reads a dump written through a host mount, printing the node's own paths", async () => {
    const { stdout } = await promisify(execFile)('sh', ['-c', pkiDumpScript('/etc/kubernetes/pki', pki.root)]);
    const inventory = parsePkiDump(stdout);
    expect(inventory.certificates.map((r) => r.name)).toContain('etcd-peer');
    expect(byName(inventory)['etcd-peer']?.locations).toEqual(['/etc/kubernetes/pki/etcd/peer.crt']);
  });
});
