import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, type IssuedCert } from '../../../src/sandbox/pki/issue';
import { scanKubeconfig } from '../../../src/sources/kubeconfig';
import { combineInventories } from '../../../src/sources/inventory';
import { scanPkiDir } from '../../../src/sources/pki-dir';
import { kubeadmConf, writeKubeadmPki } from '../../fixtures/kubeadm-pki';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('reading a kubeconfig', () => {
  let dir: string;
  let ca: IssuedCert;
  let user: IssuedCert;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-kc-'));
    ca = await issueCertificate({ commonName: 'kubernetes', isCA: true });
    user = await issueCertificate({ commonName: 'alice', usages: ['client'] }, ca);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the cluster CA and the user certificate, located by cluster and user name', async () => {
    const path = join(dir, 'config');
    await writeFile(path, kubeadmConf(ca.certPem, 'alice', user));
    const inventory = await scanKubeconfig(path);
    expect(inventory.errors).toEqual([]);
    expect(inventory.certificates.map((r) => [r.name, r.locations, r.certificateAuthority])).toEqual([
      ['cluster/kubernetes', [`kubeconfig:${path}#cluster/kubernetes`], undefined],
      ['user/alice', [`kubeconfig:${path}#user/alice`], 'cluster/kubernetes'],
    ]);
  });

  it('follows certificate files relative to the kubeconfig and reports bad data without stopping', async () => {
    await writeFile(join(dir, 'ca.crt'), ca.certPem);
    const path = join(dir, 'mixed');
    await writeFile(
      path,
      `clusters:\n- name: a\n  cluster: { certificate-authority: ca.crt }\n- name: b\n  cluster: { certificate-authority-data: "!!notbase64" }\n` +
        `users:\n- name: u\n  user: { client-certificate: missing.crt }\n- name: der\n  user: { client-certificate-data: ${Buffer.from(user.cert.rawData).toString('base64')} }\n` +
        `- name: token\n  user: { token: secret-token-value }\n`,
    );
    const inventory = await scanKubeconfig(path);
    expect(inventory.certificates.map((r) => r.name)).toEqual(['cluster/a']);
    expect(inventory.errors).toEqual([
      { location: `kubeconfig:${path}#cluster/b`, message: 'the certificate data is not valid base64' },
      { location: `kubeconfig:${path}#user/u`, message: `cannot read ${join(dir, 'missing.crt')}: ENOENT` },
      { location: `kubeconfig:${path}#user/der`, message: 'binary (DER) data where PEM was expected' },
    ]);
    expect(JSON.stringify(inventory)).not.toContain('secret-token-value');
  });

  it('keeps only the cluster and user of the chosen context', async () => {
    const path = join(dir, 'two');
    const other = await issueCertificate({ commonName: 'bob', usages: ['client'] }, ca);
    await writeFile(
      path,
      `clusters:\n- name: k\n  cluster: { certificate-authority-data: ${b64(ca.certPem)} }\n` +
        `users:\n- name: alice\n  user: { client-certificate-data: ${b64(user.certPem)} }\n- name: bob\n  user: { client-certificate-data: ${b64(other.certPem)} }\n` +
        `contexts:\n- name: bob@k\n  context: { cluster: k, user: bob }\n`,
    );
    const inventory = await scanKubeconfig(path, { context: 'bob@k' });
    expect(inventory.certificates.map((r) => r.subjectCN)).toEqual(['kubernetes', 'bob']);
    await expect(scanKubeconfig(path, { context: 'nope' })).rejects.toThrow('context "nope" is not in');
  });

  it('reports the same CA found in a PKI folder and a kubeconfig once, with both locations', async () => {
    const pki = await writeKubeadmPki();
    try {
      const adminConf = join(pki.confDir, 'admin.conf');
      const merged = combineInventories([await scanPkiDir(pki.pkiDir), await scanKubeconfig(adminConf)]);
      const caRecord = merged.certificates.find((r) => r.name === 'ca');
      expect(caRecord?.locations).toEqual([join(pki.pkiDir, 'ca.crt'), `kubeconfig:${adminConf}#cluster/kubernetes`]);
      expect(merged.certificates.filter((r) => r.subjectCN === 'kubernetes-admin')).toHaveLength(1);
    } finally {
      await pki.cleanup();
    }
  });
});
