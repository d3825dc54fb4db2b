import type { CsrSummary } from '../../../src/csr/csr-summary';

export function summary(overrides: Partial<CsrSummary> = {}): CsrSummary {
  return {
    cluster: 'prod',
    uid: 'uid-1',
    name: 'csr-abc',
    signerName: 'kubernetes.io/kubelet-serving',
    username: 'system:node:worker-1',
    groups: ['system:nodes', 'system:authenticated'],
    usages: ['digital signature', 'key encipherment', 'server auth'],
    createdAt: '2030-01-01T00:00:00.000Z',
    subject: { commonName: 'system:node:worker-1', organizations: ['system:nodes'] },
    commonNames: ['system:node:worker-1'],
    dnsNames: ['worker-1'],
    ipAddresses: ['10.0.0.5'],
    emailAddresses: [],
    uris: [],
    otherNames: [],
    requesterPeople: { mapped: true, slackUserIds: [], via: ['group system:nodes'] },
    approvalsNeeded: 1,
    keyAlgorithm: 'ECDSA',
    keySize: 256,
    risk: 'low',
    findings: [],
    state: 'pending',
    ...overrides,
  };
}
