import type { ClusterConfig } from '../config/schema';
import { supportsOperation, type OperationId } from '../core/operations';
import type { CertificateRecord } from '../core/x509';
import { code, name } from '../slack/escape';
import type { ExpirySubject } from './expiry-subject';

/**
 * What an expiring subject breaks and how to fix it; `operation` when certops can do the fix. The texts are
 * Slack mrkdwn: the names they quote (certificates, secrets, locations) are escaped where they are inserted.
 */
export interface ExpiryAdvice {
  /** "API server certificate", "TLS secret shop/web-tls", … */
  what: string;
  consequence: string;
  fix: string;
  operation?: OperationId;
}

type ClusterKinds = Pick<ClusterConfig, 'aks' | 'kms' | 'kubeadm'>;

const API_SERVER_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];
const TLS_FAILS = 'x509: certificate has expired or is not yet valid';

function offered(operation: OperationId, cluster: ClusterKinds): OperationId | undefined {
  return supportsOperation(operation, cluster) ? operation : undefined;
}

function isApiServer(cert: CertificateRecord): boolean {
  if (cert.source === 'node-pki' && cert.name === 'apiserver') return true;
  return !cert.isCA && cert.dnsNames.some((name) => API_SERVER_NAMES.includes(name));
}

function isKubeletServing(cert: CertificateRecord): boolean {
  if (cert.locations.some((l) => /\/var\/lib\/kubelet\/pki\/kubelet(-server-[^/]*)?\.(crt|pem)$/.test(l))) return true;
  // Node client certificates carry no names; serving ones carry the node's addresses.
  return cert.subjectCN.startsWith('system:node:') && cert.dnsNames.length + cert.ipAddresses.length > 0;
}

// What breaks when each kubeadm-managed certificate expires, by kubeadm's name for it.
const KUBEADM_CONSEQUENCES: Record<string, string> = {
  'admin.conf': 'kubectl with admin.conf is refused by the API server (it cannot authenticate).',
  'super-admin.conf': 'the break-glass super-admin.conf stops authenticating.',
  'controller-manager.conf': 'the controller manager loses the API server: no more reconciling, no CSR signing.',
  'scheduler.conf': 'the scheduler loses the API server: new pods stay Pending.',
  'kubelet.conf': 'the kubelet loses the API server and the node goes NotReady (unless client rotation renewed it).',
  'apiserver-kubelet-client': 'the API server cannot reach kubelets: kubectl logs/exec/port-forward fail everywhere.',
  'apiserver-etcd-client': 'the API server loses etcd: the whole cluster API goes down.',
  'etcd-server': 'etcd refuses its clients: the API server goes down.',
  'etcd-peer': 'etcd members cannot talk to each other: etcd loses quorum.',
  'etcd-healthcheck-client': 'etcd liveness probes fail and the etcd pod restarts.',
  'front-proxy-client': 'aggregated APIs (metrics-server, custom APIs) stop answering: kubectl top and HPAs fail.',
};

function kubeadmAdvice(cert: CertificateRecord, cluster: ClusterKinds): ExpiryAdvice {
  const what = `kubeadm certificate ${name(cert.name)}`;
  if (cert.isCA) {
    return {
      what: `kubeadm CA ${name(cert.name)}`,
      consequence: 'every certificate it signed stops validating: the control plane and its clients fail TLS.',
      fix: '`kubeadm certs renew` does not renew CAs: follow the kubeadm manual CA rotation (new CA, re-issue, distribute).',
    };
  }
  if (cert.externallyManaged) {
    return {
      what,
      consequence: KUBEADM_CONSEQUENCES[cert.name] ?? `the component using ${name(cert.name)} fails TLS.`,
      fix: 'the CA key is not on the node (external CA mode): issue a new certificate from the external CA and replace the file.',
    };
  }
  return {
    what,
    consequence: KUBEADM_CONSEQUENCES[cert.name] ?? `the component using ${name(cert.name)} fails TLS (${TLS_FAILS}).`,
    fix: `${code(`kubeadm certs renew ${cert.name}`)} on every control-plane node, then restart the static pods (move their manifests out of /etc/kubernetes/manifests and back).`,
    operation: offered('kubeadm-renew', cluster),
  };
}

function apiServerAdvice(cluster: ClusterKinds): ExpiryAdvice {
  const consequence = `kubectl and every client will fail TLS (${TLS_FAILS}).`;
  if (cluster.aks) {
    return {
      what: 'API server certificate',
      consequence,
      fix: '`az aks rotate-certs` (up to 30 minutes of API downtime; fetch kubeconfigs again afterwards).',
      operation: 'aks-rotate-certs',
    };
  }
  if (cluster.kubeadm?.enabled) {
    return {
      what: 'API server certificate',
      consequence,
      fix: '`kubeadm certs renew apiserver` on every control-plane node, then restart the API server static pod.',
      operation: 'kubeadm-renew',
    };
  }
  return {
    what: 'API server certificate',
    consequence,
    fix: 'renew the API server serving certificate with the tooling that built the cluster.',
  };
}

function certificateAdvice(cert: CertificateRecord, cluster: ClusterKinds): ExpiryAdvice {
  const location = cert.locations[0] ?? '';
  if (cert.source === 'node-pki' || cert.source === 'pki-dir') {
    if (isKubeletServing(cert)) return kubeletServingAdvice();
    if (cert.name !== 'apiserver') return kubeadmAdvice(cert, cluster);
  }
  if (isApiServer(cert)) return apiServerAdvice(cluster);
  if (isKubeletServing(cert)) return kubeletServingAdvice();
  switch (cert.source) {
    case 'aks':
      return {
        what: `AKS cluster certificate ${name(cert.name)}`,
        consequence: `kubeconfigs holding these credentials fail TLS (${TLS_FAILS}).`,
        fix: '`az aks rotate-certs`, then `az aks get-credentials --overwrite-existing` for every user.',
        operation: offered('aks-rotate-certs', cluster),
      };
    case 'secret': {
      const secret = /^secret:([^#]+)#/.exec(location)?.[1] ?? location;
      return {
        what: cert.isCA ? `CA in secret ${name(secret)}` : `TLS secret ${name(secret)}`,
        consequence: cert.isCA
          ? 'certificates it signed stop validating for everyone who trusts it.'
          : `whatever serves this secret fails TLS for its clients (${TLS_FAILS}).`,
        fix: `renew it with the issuer that owns secret ${name(secret)} (cert-manager: \`cmctl renew\` the Certificate; otherwise replace the secret).`,
      };
    }
    case 'csr':
      return {
        what: `certificate issued through ${code(location)}`,
        consequence: 'its holder can no longer authenticate with it.',
        fix: 'the holder must send a new CertificateSigningRequest (client rotation does this by itself when enabled).',
      };
    case 'kubeconfig':
      return {
        what: `kubeconfig credential ${name(cert.name)}`,
        consequence: 'users of this kubeconfig are refused by the API server.',
        fix: 'issue new credentials and hand out a new kubeconfig.',
      };
    case 'tls':
      return {
        what: `serving certificate of ${name(location.replace(/^tls:/, ''))}`,
        consequence: `clients of this endpoint fail TLS (${TLS_FAILS}).`,
        fix: 'renew the serving certificate of the service behind this endpoint.',
      };
    default:
      return {
        what: `certificate ${name(cert.name)}`,
        consequence: `whatever uses it fails TLS (${TLS_FAILS}).`,
        fix: 'renew it where it was issued.',
      };
  }
}

function kubeletServingAdvice(): ExpiryAdvice {
  return {
    what: 'kubelet serving certificate',
    consequence: 'kubectl logs/exec to that node fail (port-forward too), and metrics-server cannot scrape it.',
    fix: 'with serverTLSBootstrap the kubelet asks for a new one: approve its kubelet-serving CSR (`/certs csr`); otherwise restart the kubelet to regenerate it.',
  };
}

/** Advice for one subject on one cluster: the consequence a reader must weigh and the way out. */
export function expiryAdvice(subject: ExpirySubject, cluster: ClusterKinds): ExpiryAdvice {
  if (subject.kind === 'kms-key') {
    return {
      what: `KMS key ${name(subject.name)}`,
      consequence: 'the API server stops encrypting: KeyExpired — creating or updating secrets fails.',
      fix: 'rotate the key (a new version), then re-encrypt every secret; keep the old version enabled until the next rotation.',
      operation: offered('kms-rotate-key', cluster),
    };
  }
  return certificateAdvice(subject.certificate, cluster);
}
