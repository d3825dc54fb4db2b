import { randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { subjectAltNames } from './csr-validation';
import { issueCertificate, signingAlgorithm, type IssuedCert } from '../pki/issue';

export interface ClientCredential {
  certPem: string;
  keyPem: string;
}

export interface SignRequest {
  csr: x509.Pkcs10CertificateRequest;
  notBefore: Date;
  notAfter: Date;
  usages: string[];
}

const KEY_USAGE_BITS: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

const EXTENDED_USAGES: Record<string, string> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
};

function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

/** The cluster CA, the API server's serving certificate, and the client certificates issued under them. */
export class ClusterPki {
  private clientCerts = new Map<string, ClientCredential>();

  private constructor(
    public ca: IssuedCert,
    public serving: IssuedCert,
  ) {}

  static async create(): Promise<ClusterPki> {
    const { ca, serving } = await ClusterPki.generate();
    return new ClusterPki(ca, serving);
  }

  private static async generate(): Promise<{ ca: IssuedCert; serving: IssuedCert }> {
    const now = Date.now();
    const ca = await issueCertificate({
      commonName: 'kubernetes',
      isCA: true,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + 10 * 365 * 86400_000),
    });
    const serving = await issueCertificate(
      {
        commonName: 'kube-apiserver',
        dnsNames: [
          'localhost',
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          'kubernetes.default.svc.cluster.local',
        ],
        ipAddresses: ['127.0.0.1'],
        usages: ['server'],
        notBefore: new Date(now - 3600_000),
      },
      ca,
    );
    return { ca, serving };
  }

  /** A new CA and serving certificate; client certificates issued by the old CA stop being accepted. */
  async rotate(): Promise<void> {
    const { ca, serving } = await ClusterPki.generate();
    this.ca = ca;
    this.serving = serving;
    this.clientCerts = new Map();
  }

  clientCertFor(user: string): ClientCredential | undefined {
    return this.clientCerts.get(user);
  }

  /** A client certificate with CN = user and O = groups, as kubeadm issues for admin.conf (a year unless notAfter says). */
  async issueClientCert(user: string, groups: string[], notAfter?: Date): Promise<ClientCredential> {
    const issued = await issueCertificate(
      { commonName: user, organizations: groups, usages: ['client'], notAfter },
      this.ca,
    );
    const credential = { certPem: issued.certPem, keyPem: issued.keyPem };
    this.clientCerts.set(user, credential);
    return credential;
  }

  /** Signs a PKCS#10 request with the cluster CA, copying its subject and SANs (kube-controller-manager's signer). */
  async sign(request: SignRequest): Promise<string> {
    const { csr, usages } = request;
    const caNotAfter = this.ca.cert.notAfter;
    const notAfter = request.notAfter > caNotAfter ? caNotAfter : request.notAfter;
    const keyBits = usages.reduce((bits, usage) => bits | (KEY_USAGE_BITS[usage] ?? 0), 0);
    const ekus = usages.map((usage) => EXTENDED_USAGES[usage]).filter((oid): oid is string => oid !== undefined);
    const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
    if (keyBits) extensions.push(new x509.KeyUsagesExtension(keyBits, true));
    if (ekus.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(ekus, false));
    const san = subjectAltNames(csr);
    if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san.names.toJSON(), false));
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(this.ca.cert));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: positiveSerial(),
      subject: csr.subjectName,
      issuer: this.ca.cert.subjectName,
      notBefore: request.notBefore,
      notAfter,
      publicKey: csr.publicKey,
      signingKey: this.ca.keyPair.privateKey,
      signingAlgorithm: signingAlgorithm(this.ca.kind),
      extensions,
    });
    return cert.toString('pem');
  }
}
