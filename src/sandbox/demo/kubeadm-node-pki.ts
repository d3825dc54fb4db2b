import { issueCertificate, type CertSpec, type IssuedCert } from '../pki/issue';

const DAY = 86400_000;
const PKI = '/etc/kubernetes/pki';
const CONF = '/etc/kubernetes';
const KEY_WITHHELD = '(private key present, content withheld)';

type CaName = 'ca' | 'etcd-ca' | 'front-proxy-ca';

interface Leaf {
  name: string;
  file: string;
  ca: CaName;
  spec: CertSpec;
}

const CAS: Array<{ name: CaName; file: string; commonName: string }> = [
  { name: 'ca', file: 'ca', commonName: 'kubernetes' },
  { name: 'etcd-ca', file: 'etcd/ca', commonName: 'etcd-ca' },
  { name: 'front-proxy-ca', file: 'front-proxy-ca', commonName: 'front-proxy-ca' },
];

const LEAVES: Leaf[] = [
  {
    name: 'apiserver',
    file: 'apiserver',
    ca: 'ca',
    spec: {
      commonName: 'kube-apiserver',
      dnsNames: ['cp-1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
      ipAddresses: ['10.96.0.1', '192.168.0.10'],
    },
  },
  {
    name: 'apiserver-kubelet-client',
    file: 'apiserver-kubelet-client',
    ca: 'ca',
    spec: {
      commonName: 'kube-apiserver-kubelet-client',
      organizations: ['kubeadm:cluster-admins'],
      usages: ['client'],
    },
  },
  {
    name: 'apiserver-etcd-client',
    file: 'apiserver-etcd-client',
    ca: 'etcd-ca',
    spec: { commonName: 'kube-apiserver-etcd-client', usages: ['client'] },
  },
  {
    name: 'front-proxy-client',
    file: 'front-proxy-client',
    ca: 'front-proxy-ca',
    spec: { commonName: 'front-proxy-client', usages: ['client'] },
  },
  {
    name: 'etcd-server',
    file: 'etcd/server',
    ca: 'etcd-ca',
    spec: {
      commonName: 'cp-1',
      dnsNames: ['cp-1', 'localhost'],
      ipAddresses: ['192.168.0.10', '127.0.0.1'],
      usages: ['server', 'client'],
    },
  },
];

const CONFS: Array<{ file: string; spec: CertSpec }> = [
  {
    file: 'admin.conf',
    spec: { commonName: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'], usages: ['client'] },
  },
  { file: 'controller-manager.conf', spec: { commonName: 'system:kube-controller-manager', usages: ['client'] } },
  { file: 'scheduler.conf', spec: { commonName: 'system:kube-scheduler', usages: ['client'] } },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `kubeadm certs check-expiration`'s date format: "Nov 23, 2027 12:00 UTC". */
function kubeadmDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/**
 * One kubeadm control-plane node's PKI, kept in memory: the CAs live ten years, the API server's
 * certificate expires in five days, everything else in a year. `dump()` is what the node-PKI Job prints;
 * `renew()` does what `kubeadm certs renew all` does (same CAs, fresh leaves) and answers its check-expiration table.
 */
export class KubeadmNodePki {
  private cas = new Map<CaName, IssuedCert>();
  private leaves = new Map<string, IssuedCert>();

  private constructor(private readonly now: () => number) {}

  static async create(now: () => number = Date.now, apiserverDays = 5): Promise<KubeadmNodePki> {
    const pki = new KubeadmNodePki(now);
    const start = new Date(now() - DAY);
    for (const ca of CAS)
      pki.cas.set(
        ca.name,
        await issueCertificate({
          commonName: ca.commonName,
          isCA: true,
          notBefore: start,
          notAfter: new Date(now() + 3649 * DAY),
        }),
      );
    await pki.issueLeaves((name) => (name === 'apiserver' ? apiserverDays : 364));
    return pki;
  }

  private async issueLeaves(daysFor: (name: string) => number): Promise<void> {
    const notBefore = new Date(this.now() - 60_000);
    const until = (name: string) => new Date(this.now() + daysFor(name) * DAY);
    for (const leaf of LEAVES)
      this.leaves.set(
        leaf.file,
        await issueCertificate({ ...leaf.spec, notBefore, notAfter: until(leaf.name) }, this.ca(leaf.ca)),
      );
    for (const conf of CONFS)
      this.leaves.set(
        conf.file,
        await issueCertificate({ ...conf.spec, notBefore, notAfter: until(conf.file) }, this.ca('ca')),
      );
  }

  private ca(name: CaName): IssuedCert {
    const ca = this.cas.get(name);
    if (!ca) throw new Error(`no ${name} in the demo PKI`);
    return ca;
  }

  /** The node-PKI Job's log: `tail -n +1`-style headers, certificates only, keys withheld. */
  dump(): string {
    const parts: string[] = [];
    for (const ca of CAS)
      parts.push(
        `==> ${PKI}/${ca.file}.crt <==`,
        this.ca(ca.name).certPem.trim(),
        `==> ${PKI}/${ca.file}.key <==`,
        KEY_WITHHELD,
      );
    for (const leaf of LEAVES) {
      parts.push(
        `==> ${PKI}/${leaf.file}.crt <==`,
        this.leaves.get(leaf.file)?.certPem.trim() ?? '',
        `==> ${PKI}/${leaf.file}.key <==`,
        KEY_WITHHELD,
      );
    }
    for (const conf of CONFS) {
      const data = Buffer.from(this.leaves.get(conf.file)?.certPem ?? '').toString('base64');
      parts.push(`==> ${CONF}/${conf.file} <==`, `    client-certificate-data: ${data}`);
    }
    return `${parts.join('\n')}\n`;
  }

  async renew(): Promise<string> {
    await this.issueLeaves(() => 365);
    const rows = [...LEAVES.map((l) => l.name), ...CONFS.map((c) => c.file)].map((name) => {
      const file = LEAVES.find((l) => l.name === name)?.file ?? name;
      const notAfter = this.leaves.get(file)?.cert.notAfter ?? new Date();
      return `${name.padEnd(26)} ${kubeadmDate(notAfter)}   364d            ca                      no`;
    });
    return [
      '[renew] certificates renewed',
      'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
      ...rows,
      '',
      'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
      ...CAS.map((ca) => `${ca.name.padEnd(23)} ${kubeadmDate(this.ca(ca.name).cert.notAfter)}   9y              no`),
    ].join('\n');
  }
}
