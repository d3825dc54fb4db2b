/** One certificate, wherever it was found; the same certificate in several places is one record. */
export interface CertificateRecord {
  /** Display name: kubeadm's name for PKI files (`apiserver`, `admin.conf`), else the subject CN. */
  name: string;
  /** The kind of source that found it first: `pki-dir`, `kubeconfig`, … */
  source: string;
  /** Where it was found: a file path, `kubeconfig:/path#user/NAME`, `ns/secret/key`, a CSR name. */
  locations: string[];
  subject: string;
  subjectCN: string;
  issuer: string;
  issuerCN: string;
  /** Lower-case hex of the DER INTEGER's bytes, no colons. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  dnsNames: string[];
  ipAddresses: string[];
  /** Lower-case hex SHA-256 of the DER, no colons: the identity used to merge records. */
  fingerprint256: string;
  authorityKeyId?: string;
  subjectKeyId?: string;
  cluster?: string;
  /** The issuing CA's private key is not where the certificate was found (kubeadm external-CA mode). */
  externallyManaged?: boolean;
  /** Name of the CA (in the same source) that issued it. */
  certificateAuthority?: string;
}

/** Where and as what a certificate was found; the parser copies it into each record. */
export interface FoundAt {
  source: string;
  location: string;
  /** Overrides the subject CN as the record's name. */
  name?: string;
  cluster?: string;
}
