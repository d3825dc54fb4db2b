import { expiryAdvice } from '../../../src/expiry/expiry-advice';
import { expirySubjects, type ExpirySubject } from '../../../src/expiry/expiry-subject';
import type { CertificateRecord } from '../../../src/core/x509';
import { cert, inDays, kmsKey, NOW, THRESHOLDS } from './fixtures';

const AKS = {
  aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' },
};
const KMS = {
  ...AKS,
  kms: { keyVaultUrl: 'https://v.vault.azure.net', keyName: 'etcd', verifyChallengeResource: true },
};
const KUBEADM = {
  kubeadm: { enabled: true, image: 'i', controlPlaneSelector: 'node-role.kubernetes.io/control-plane' },
};

function subjectOf(record: CertificateRecord): ExpirySubject {
  return expirySubjects(
    { cluster: 'prod', certificates: [record], keys: [], errors: [], durationSeconds: 0 },
    NOW,
    THRESHOLDS,
  )[0] as ExpirySubject;
}

const apiserverPki = cert('apiserver', inDays(3), {
  source: 'node-pki',
  locations: ['node:cp-1:/etc/kubernetes/pki/apiserver.crt'],
  dnsNames: ['kubernetes', 'cp-1'],
});
const apiserverEndpoint = cert('kube-apiserver', inDays(3), {
  source: 'tls',
  locations: ['tls:10.0.0.1:6443'],
  dnsNames: ['kubernetes.default.svc'],
});

describe('expiry advice', () => {
  it.each([
    [
      'kubeadm API server → kubectl fails, kubeadm certs renew, Rotate = kubeadm-renew',
      apiserverPki,
      KUBEADM,
      /kubectl and every client will fail TLS/,
      /kubeadm certs renew apiserver/,
      'kubeadm-renew',
    ],
    [
      'AKS API server endpoint → az aks rotate-certs',
      apiserverEndpoint,
      AKS,
      /kubectl and every client will fail TLS/,
      /az aks rotate-certs/,
      'aks-rotate-certs',
    ],
    [
      'AKS credential certificate → az aks rotate-certs',
      cert('client', inDays(3), { source: 'aks', locations: ['aks:rg/prod#user/clusterUser'] }),
      AKS,
      /kubeconfigs/,
      /az aks rotate-certs/,
      'aks-rotate-certs',
    ],
    [
      'kubelet serving certificate → logs/exec fail, no Rotate',
      cert('system:node:w1', inDays(3), { source: 'csr', subjectCN: 'system:node:w1', ipAddresses: ['10.0.0.5'] }),
      KUBEADM,
      /kubectl logs\/exec to that node fail/,
      /kubelet-serving CSR/,
      undefined,
    ],
    [
      'TLS secret → the issuer that owns it, no Rotate',
      cert('web', inDays(3)),
      KUBEADM,
      /fails TLS/,
      /issuer that owns secret shop\/web/,
      undefined,
    ],
    [
      'kubeadm PKI certificate → kubeadm-renew',
      cert('front-proxy-client', inDays(3), {
        source: 'node-pki',
        locations: ['node:cp-1:/etc/kubernetes/pki/front-proxy-client.crt'],
        dnsNames: [],
      }),
      KUBEADM,
      /aggregated APIs/,
      /kubeadm certs renew front-proxy-client/,
      'kubeadm-renew',
    ],
    [
      'kubeadm CA → manual CA rotation, no Rotate',
      cert('ca', inDays(3), { source: 'node-pki', isCA: true, dnsNames: [] }),
      KUBEADM,
      /every certificate it signed/,
      /manual CA rotation/,
      undefined,
    ],
    [
      'external-CA kubeadm certificate → no Rotate',
      cert('apiserver-etcd-client', inDays(3), { source: 'node-pki', externallyManaged: true, dnsNames: [] }),
      KUBEADM,
      /loses etcd/,
      /external CA/,
      undefined,
    ],
    [
      'API server of a cluster certops cannot renew → no Rotate',
      apiserverEndpoint,
      {},
      /kubectl and every client/,
      /tooling that built the cluster/,
      undefined,
    ],
  ])('%s', (_name, record, cluster, consequence, fix, operation) => {
    const advice = expiryAdvice(subjectOf(record), cluster);
    expect(advice.consequence).toMatch(consequence);
    expect(advice.fix).toMatch(fix);
    expect(advice.operation).toBe(operation);
  });

  it('says an expired KMS key stops encryption with KeyExpired and offers the key rotation', () => {
    const subject = expirySubjects(
      { cluster: 'prod', certificates: [], keys: [kmsKey(inDays(2))], errors: [], durationSeconds: 0 },
      NOW,
      THRESHOLDS,
    )[0] as ExpirySubject;
    const advice = expiryAdvice(subject, KMS);
    expect(advice.consequence).toContain('the API server stops encrypting: KeyExpired');
    expect(advice.operation).toBe('kms-rotate-key');
  });
});
