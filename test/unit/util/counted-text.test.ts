import { runInNewContext } from 'node:vm';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { closedRefusal, isExecutable } from '../../../src/core/approvals';
import type { CertificateRecord } from '../../../src/core/x509';
import { describeConfig } from '../../../src/config/describe';
import { parseConfig } from '../../../src/config/load';
import { requesterNoticeText } from '../../../src/approvals/blocks/approval-notice';
import type { CsrSummary } from '../../../src/csr/csr-summary';
import type { ClusterView } from '../../../src/digest/certificate-view';
import { expiringMessage, statusMessage } from '../../../src/digest/blocks/status';
import { ReencryptionIncompleteError } from '../../../src/operations/errors/reencryption-incomplete-error';
import { REPLY_COUNT_JS } from '../../../src/sandbox/demo/page/app-js';
import { csrAutoDeniedContent } from '../../../src/csr/blocks/csr-auto-denied';
import { csrAutoApprovedContent } from '../../../src/csr/blocks/csr-burst';
import { plural } from '../../../src/util/plural';
import { pendingRequest, T0 } from '../approvals/fixtures';

// Every count a person reads goes through util/plural: one of a thing is singular, and no "(s)" is left.
const NOW = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const THRESHOLDS = { warningSeconds: 30 * 86400, criticalSeconds: 7 * 86400 };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `U0PERSON${i}`);

function requestNeeding(required: number, changes: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return { ...pendingRequest(), requiredApprovals: required, ...changes };
}

function csr(name: string, state: CsrSummary['state']): CsrSummary {
  return {
    name,
    state,
    findings: [{ code: 'san-not-allowed', severity: 'high', message: 'm' }],
  } as unknown as CsrSummary;
}

function certificate(days: number): CertificateRecord {
  return {
    name: `cert-${days}`,
    source: 'secret',
    locations: ['secret:default/x#tls.crt'],
    subject: 'CN=x',
    subjectCN: 'x',
    issuer: 'CN=ca',
    issuerCN: 'ca',
    serialNumber: '01',
    notBefore: new Date(NOW.getTime() - 300 * DAY),
    notAfter: new Date(NOW.getTime() + days * DAY),
    isCA: false,
    dnsNames: [],
    ipAddresses: [],
    fingerprint256: `${days}`.padEnd(64, '0'),
  };
}

function clusters(n: number, certificates: number): ClusterView[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `c${i}`,
    kinds: [],
    latest: {
      scan: {
        cluster: `c${i}`,
        certificates: Array.from({ length: certificates }, (_, j) => certificate(3 + j)),
        keys: [],
        errors: [],
        durationSeconds: 1,
      },
      at: NOW,
    },
  }));
}

function configText(people: number): string {
  const config = parseConfig(
    {
      slack: { roles: { operators: ids(people), approvers: ids(people) } },
      csr: { dnsPatterns: Array(people).fill('*.nodes.example'), ipPrefixes: Array(people).fill('10.0.0.0/8') },
      clusters: [{ name: 'prod', kubeconfig: '/tmp/kc', roles: { operators: ids(people), approvers: ids(people) } }],
    },
    'certops.yaml',
    {},
  );
  return describeConfig(config, 'certops.yaml').lines.join('\n');
}

// [what, text for a count, what it says for 1, what it says for 2]
const CASES: Array<[string, (n: number) => string, string, string]> = [
  ['config: global roles', configText, '1 operator, 1 approver globally', '2 operators, 2 approvers globally'],
  ['config: serving-name proofs', configText, '1 DNS pattern and 1 IP prefix', '2 DNS patterns and 2 IP prefixes'],
  ['config: cluster roles', configText, 'roles: 1 operator, 1 approver', 'roles: 2 operators, 2 approvers'],
  [
    'refusal: request already approved',
    (n) => closedRefusal(requestNeeding(n, { status: 'approved' })).message,
    'already has its 1 approval and',
    'already has its 2 approvals and',
  ],
  [
    'refusal: too few approvals to run',
    (n) => {
      const verdict = isExecutable(
        requestNeeding(3, {
          status: 'approved',
          votes: ids(n).map((userId) => ({ userId, userName: userId, at: T0.toISOString() })),
        }),
      );
      return 'message' in verdict ? verdict.message : 'runs';
    },
    'has 1 distinct approval of 3 required',
    'has 2 distinct approvals of 3 required',
  ],
  [
    'requester notice: expired',
    (n) => requesterNoticeText(requestNeeding(n, { status: 'expired' })),
    'expired with 0 of 1 approval.',
    'expired with 0 of 2 approvals.',
  ],
  [
    'csr auto-denied',
    (n) =>
      csrAutoDeniedContent(
        'prod',
        Array.from({ length: n }, (_, i) => csr(`csr-${i}`, 'denied')),
      ).text,
    '1 invalid CSR on',
    '2 invalid CSRs on',
  ],
  [
    'csr auto-approved',
    (n) =>
      csrAutoApprovedContent(
        'prod',
        Array.from({ length: n }, (_, i) => csr(`csr-${i}`, 'issued')),
      ).text,
    '1 low-risk kubelet-serving CSR on',
    '2 low-risk kubelet-serving CSRs on',
  ],
  [
    '/certs status',
    (n) => statusMessage({ clusters: clusters(n, 1), now: NOW, thresholds: THRESHOLDS, refreshed: new Set() }).text,
    'status of 1 cluster',
    'status of 2 clusters',
  ],
  [
    '/certs expiring',
    (n) =>
      expiringMessage({
        clusters: clusters(1, n),
        now: NOW,
        thresholds: THRESHOLDS,
        refreshed: new Set(),
        withinSeconds: 30 * 86400,
      }).text,
    '1 certificate expires within',
    '2 certificates expire within',
  ],
  [
    're-encryption left unfinished',
    (n) => new ReencryptionIncompleteError(Object.fromEntries(ids(n).map((ns) => [ns, 'failed']))).message,
    'did not finish in 1 namespace (',
    'did not finish in 2 namespaces (',
  ],
];

describe('counted nouns in what people read', () => {
  it.each(CASES)('%s', (_what, text, one, two) => {
    expect(text(1)).toContain(one);
    expect(text(2)).toContain(two);
    expect(`${text(1)}\n${text(2)}`).not.toMatch(/\(s\)|\(es\)/);
  });

  it('the demo page counts replies as util/plural does', () => {
    // The page's own script, run in a context of its own as the browser would run it.
    const replyCount = runInNewContext(`${REPLY_COUNT_JS}; replyCount;`) as (count: number) => string;
    for (const n of [0, 1, 2, 11]) expect(replyCount(n)).toBe(plural(n, 'reply'));
  });
});
