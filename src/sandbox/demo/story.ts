import { randomBytes } from 'node:crypto';
import type { AzureSim } from '../azure';
import type { KubeSim } from '../kube';
import { createCsr, issueCertificate } from '../pki/issue';
import type { SlackSim } from '../slack';
import type { KubeadmNodePki } from './kubeadm-node-pki';
import { APPROVER_GROUP, CHANNEL_LIST, PERSONA_LIST } from './personas';

const DAY = 86400_000;
const CONTROL_PLANE = { 'node-role.kubernetes.io/control-plane': '' };
const KUBELET_SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];
/** How long the simulated AKS rotation runs: long enough to watch the progress, short enough to wait for. */
export const AKS_ROTATION_MS = 6_000;

export const AKS = { resourceGroup: 'rg-prod', name: 'aks-prod', keyName: 'etcd-kms' } as const;

/** A node joining the kubeadm cluster: its Node object says which addresses it really has. */
export interface JoiningNode {
  name: string;
  addresses: string[];
  /** What its kubelet asks for in the serving CSR. */
  requestedIps: string[];
}

export const JOINING_NODES: JoiningNode[] = [
  { name: 'worker-2', addresses: ['10.0.1.12'], requestedIps: ['10.0.1.12'] },
  // Asks for an IP the node does not have: a serving certificate for someone else's address.
  { name: 'worker-3', addresses: ['10.0.1.13'], requestedIps: ['10.0.1.13', '10.0.9.99'] },
];

function nodeObject(name: string, ips: string[], labels: Record<string, string> = {}) {
  const addresses = [...ips.map((address) => ({ type: 'InternalIP', address })), { type: 'Hostname', address: name }];
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: { addresses, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

async function tlsSecret(namespace: string, name: string, host: string, notBefore: Date, notAfter: Date) {
  const issued = await issueCertificate({ commonName: host, dnsNames: [host], notBefore, notAfter });
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(issued.certPem), 'tls.key': b64(issued.keyPem) },
  };
}

/** The people, the approvers' user group and the channels. */
export function seedWorkspace(slack: SlackSim): void {
  for (const person of PERSONA_LIST) {
    const { role: _role, ...user } = person;
    slack.addUser(user);
  }
  slack.addUserGroup(APPROVER_GROUP);
  for (const channel of CHANNEL_LIST) slack.addChannel(channel);
}

/**
 * The kubeadm cluster: one control-plane node whose API server certificate expires in five days (read by the
 * node-PKI Job), workers, the two nodes about to join, and a shop whose TLS secret expired two days ago.
 */
export async function seedKubeadmCluster(kube: KubeSim, pki: KubeadmNodePki, now = Date.now()): Promise<void> {
  for (const name of ['certops', 'shop'])
    kube.store.namespaces.create({ metadata: { name }, status: { phase: 'Active' } });
  kube.store.nodes.create(nodeObject('cp-1', ['192.168.0.10'], CONTROL_PLANE));
  kube.store.nodes.create(nodeObject('worker-1', ['10.0.1.11']));
  for (const node of JOINING_NODES) kube.store.nodes.create(nodeObject(node.name, node.addresses));
  kube.store.secrets.create(
    await tlsSecret('shop', 'shop-tls', 'shop.example.com', new Date(now - 92 * DAY), new Date(now - 2 * DAY)),
  );
  kube.store.secrets.create(
    await tlsSecret('shop', 'checkout-tls', 'checkout.example.com', new Date(now - 10 * DAY), new Date(now + 80 * DAY)),
  );
  kube.jobScript((job) => {
    const containers =
      (job.spec?.template?.spec as { containers?: Array<{ name?: string }> } | undefined)?.containers ?? [];
    if (containers.some((c) => c.name === 'pki-dump')) return { succeed: true, log: pki.dump(), delayMs: 300 };
    // Any other node Job is a kubeadm renewal: renew now, answer with the check-expiration table.
    let log = '';
    void pki.renew().then((table) => (log = table));
    return {
      succeed: true,
      get log() {
        return log;
      },
      delayMs: 3_000,
    };
  });
}

/**
 * The AKS cluster: KMS etcd encryption with a Key Vault key that expires in 20 days and a newer key version the
 * cluster does not use yet. Certificate rotation does what AKS does: the API server gets a new CA and serving
 * certificate, credentials fetched afterwards trust it, and kubeconfigs from before fail with an unknown authority.
 * `onRotated` runs after the new CA is in place (the demo refreshes its configured kubeconfig, as an operator would).
 */
export async function seedAksCluster(
  azure: AzureSim,
  aksKube: KubeSim,
  now = Date.now(),
  onRotated?: () => Promise<void>,
): Promise<void> {
  const current = azure.addKey(AKS.keyName, { expiresOn: new Date(now + 20 * DAY) });
  const certificateExpiry = new Date(now + 300 * DAY);
  await aksKube.issueClientCertificate('admin', ['system:masters'], certificateExpiry);
  const credentials = () => aksKube.kubeconfig({ auth: 'cert' });
  azure.addCluster({
    resourceGroup: AKS.resourceGroup,
    name: AKS.name,
    kms: { keyName: AKS.keyName, keyVersion: current.version },
    kubeconfig: credentials,
    adminKubeconfig: credentials,
    certificateExpiry,
    // As AKS does, a rotation renews the client certificate in the credentials too, with the new expiry.
    onRotateCertificates: async (rotated) => {
      await aksKube.rotateCa();
      await aksKube.issueClientCertificate('admin', ['system:masters'], rotated.certificateExpiry);
      await onRotated?.();
    },
  });
  azure.rotateKeyDirect(AKS.keyName);
  azure.faults.rotateDurationMs(AKS_ROTATION_MS);
  aksKube.store.namespaces.create({ metadata: { name: 'payments' }, status: { phase: 'Active' } });
  aksKube.store.secrets.create(
    await tlsSecret(
      'payments',
      'payments-api-tls',
      'payments.example.com',
      new Date(now - 30 * DAY),
      new Date(now + 60 * DAY),
    ),
  );
}

/** The joining nodes' kubelets ask for serving certificates, one after the other. Returns a cancel function. */
export function scheduleCsrArrivals(kube: KubeSim, delaysMs: number[], onError: (err: unknown) => void): () => void {
  const timers = JOINING_NODES.map((node, index) =>
    setTimeout(() => {
      createCsr({
        commonName: `system:node:${node.name}`,
        organizations: ['system:nodes'],
        dnsNames: [node.name],
        ipAddresses: node.requestedIps,
      })
        .then(({ csrPem }) => {
          kube.store.csrs.create({
            apiVersion: 'certificates.k8s.io/v1',
            kind: 'CertificateSigningRequest',
            metadata: { name: `csr-${randomBytes(3).toString('hex')}` },
            spec: {
              request: Buffer.from(csrPem).toString('base64'),
              signerName: 'kubernetes.io/kubelet-serving',
              usages: KUBELET_SERVING_USAGES,
              username: `system:node:${node.name}`,
              groups: ['system:nodes', 'system:authenticated'],
            },
          });
        })
        .catch(onError);
    }, delaysMs[index] ?? 0),
  );
  return () => timers.forEach(clearTimeout);
}
