import fc from 'fast-check';
import type { AccessLevel } from '../../../src/core/access';
import { APPROVAL_STATUSES, refuse, type ApprovalRequest, type RefusalCode } from '../../../src/core/approvals';
import type { CertificateRecord } from '../../../src/core/x509';
import { ACCESS_GRANT_STATES, type AccessGrant } from '../../../src/state/access-grants';
import type { CsrLifecycle, CsrSummary } from '../../../src/csr/csr-summary';
import { listedItemsOf, type ClusterView } from '../../../src/digest/certificate-view';
import { buildDigestReport } from '../../../src/digest/digest-report';
import { expiryAdvice } from '../../../src/expiry/expiry-advice';
import { expirySubjects } from '../../../src/expiry/expiry-subject';
import { accessCardBlocks, accessDeliveryText, accessListBlocks } from '../../../src/access/blocks/access-card';
import { accessModalView } from '../../../src/access/blocks/access-modal';
import { auditBlocks, auditText } from '../../../src/approvals/blocks/approval-audit';
import { approvalCardBlocks, approvalCardText } from '../../../src/approvals/blocks/approval-card';
import { pendingRequestsBlocks, pendingRequestsText } from '../../../src/approvals/blocks/approval-list';
import { requestPostedText, requesterNoticeText } from '../../../src/approvals/blocks/approval-notice';
import { refusalText } from '../../../src/approvals/blocks/approval-refusal';
import { rejectModalView } from '../../../src/approvals/blocks/approval-reject-modal';
import { csrAutoDeniedContent } from '../../../src/csr/blocks/csr-auto-denied';
import { csrAutoApprovedContent, csrBurstBlocks, csrBurstText } from '../../../src/csr/blocks/csr-burst';
import { csrCardBlocks, csrCardText } from '../../../src/csr/blocks/csr-card';
import { csrDenyModal } from '../../../src/csr/blocks/csr-deny-modal';
import { csrListBlocks } from '../../../src/csr/blocks/csr-list';
import { digestMessages, showAllMessages } from '../../../src/digest/blocks/digest';
import { snoozedNotice } from '../../../src/expiry/blocks/expiry-snooze';
import { cardItem, expiryWarningCard, expiryWarningMessage } from '../../../src/expiry/blocks/expiry-warning';
import { helpBlocks } from '../../../src/slack/blocks/help';
import { homeView } from '../../../src/digest/blocks/home';
import { rotateModalView } from '../../../src/approvals/blocks/rotate-modal';
import { expiringMessage, statusMessage } from '../../../src/digest/blocks/status';
import { hostileString, markupProblems } from '../../helpers/hostile-text';

const NOW = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const THRESHOLDS = { warningSeconds: 30 * 86400, criticalSeconds: 7 * 86400 };

/** Every field a person or a cluster controls, each an independent hostile string. */
const hostileInput = fc.record({
  cluster: hostileString,
  name: hostileString,
  location: hostileString,
  person: hostileString,
  reason: hostileString,
  message: hostileString,
  group: hostileString,
});
type Hostile = Record<'cluster' | 'name' | 'location' | 'person' | 'reason' | 'message' | 'group', string>;

function request(h: Hostile, status: ApprovalRequest['status']): ApprovalRequest {
  return {
    id: 'R01HOSTILE',
    operation: 'aks-rotate-certs',
    cluster: h.cluster,
    params: {},
    reason: h.reason,
    requester: { id: 'UALICE', name: h.person },
    requiredApprovals: 2,
    votes: [{ userId: 'UBOB', userName: h.person, at: NOW.toISOString() }],
    rejection: { by: { id: 'UCAROL', name: h.person }, reason: h.reason, at: NOW.toISOString() },
    outcome: { message: h.message, at: NOW.toISOString() },
    createdAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
    status,
    history: [],
    // Pre-flight messages carry Azure's answers; one names a time, drawn in local time around the hostile text.
    preflight: {
      ok: false,
      at: NOW.toISOString(),
      checks: [
        { code: 'key-exists', status: 'unknown', message: `The key could not be read: ${h.message}` },
        {
          code: 'key-not-expired',
          status: 'fail',
          message: `Key ${h.name} expired on ${NOW.toISOString()} (${h.reason})`,
          at: NOW.toISOString(),
        },
      ],
    },
  };
}

function csr(h: Hostile, state: CsrLifecycle): CsrSummary {
  const condition = { type: 'Approved', reason: h.reason, message: h.message };
  return {
    cluster: h.cluster,
    uid: 'uid-1',
    name: h.name,
    signerName: h.name,
    username: h.person,
    groups: [h.group],
    usages: [h.group],
    createdAt: NOW.toISOString(),
    subject: { commonName: h.name, organizations: [h.group] },
    commonNames: [h.person, h.name],
    dnsNames: [h.name],
    ipAddresses: [h.location],
    emailAddresses: [h.person],
    uris: [h.location],
    otherNames: [h.message],
    nameProofs: [
      { kind: 'DNS', name: h.name, proof: `pattern ${h.group}`, inNodeStatus: true },
      { kind: 'IP', name: h.location, inNodeStatus: false, conflict: `Node ${h.person}` },
    ],
    nodeStatus: [{ type: h.group, address: h.location }],
    requesterPeople:
      state === 'pending'
        ? { mapped: false, slackUserIds: [], via: [] }
        : { mapped: true, slackUserIds: ['U0RITA'], via: [`user ${h.person}`, `group ${h.group}`] },
    approvalsNeeded: 3,
    keyAlgorithm: h.group,
    keySize: 256,
    risk: state === 'pending' ? 'high' : 'low',
    findings: [{ code: 'san-not-allowed', severity: 'high', message: h.message }],
    state,
    decision: condition,
    failure: condition,
    selfApprovedBy: state === 'approved' ? h.person : undefined,
  };
}

function certificate(h: Hostile, source: CertificateRecord['source'], days: number): CertificateRecord {
  return {
    name: h.name,
    source,
    locations: [h.location, `secret:${h.name}#tls.crt`],
    subject: `CN=${h.name}`,
    subjectCN: h.name,
    issuer: `CN=${h.group}`,
    issuerCN: h.group,
    serialNumber: '01',
    notBefore: new Date(NOW.getTime() - 300 * DAY),
    notAfter: new Date(NOW.getTime() + days * DAY),
    isCA: false,
    dnsNames: [h.name],
    ipAddresses: [],
    fingerprint256: `${source}`.padEnd(64, '0'),
  };
}

const SOURCES: CertificateRecord['source'][] = ['secret', 'node-pki', 'kubeconfig', 'tls', 'csr', 'aks'];

function clusterView(h: Hostile): ClusterView {
  const certificates = SOURCES.map((s, i) => certificate(h, s, i - 1));
  const keys = [
    {
      cluster: h.cluster,
      keyId: h.location,
      keyName: h.name,
      version: h.group,
      expiresOn: new Date(NOW.getTime() + 3 * DAY),
      status: 'critical' as const,
      inUse: true,
      newerVersion: true,
      rotationPolicy: false,
    },
  ];
  return {
    name: h.cluster,
    kinds: ['aks', 'kubeadm'],
    latest: { scan: { cluster: h.cluster, certificates, keys, errors: [], durationSeconds: 1 }, at: NOW },
  };
}

/** Every builder of text or blocks that takes untrusted input, fed from one hostile input. */
function everyPayload(h: Hostile): Array<[string, unknown]> {
  const payloads: Array<[string, unknown]> = [];
  const add = (label: string, payload: unknown) => payloads.push([label, payload]);
  for (const status of APPROVAL_STATUSES) {
    const r = request(h, status);
    add(`approval card (${status})`, approvalCardBlocks(r));
    add(`approval card text (${status})`, approvalCardText(r));
    add(`requester notice (${status})`, requesterNoticeText(r));
    // These refusals name people and quote reasons: the state machine's message is replaced, whatever it says.
    for (const code of ['expired', 'not-requester', 'already-decided'] as RefusalCode[]) {
      add(`refusal ${code} (${status})`, refusalText(refuse(code, h.message), r));
    }
  }
  const pending = request(h, 'pending');
  const access = {
    ...pending,
    operation: 'access-grant',
    params: { level: h.group, durationSeconds: 3600, roleKind: 'Role', roleName: h.name, namespace: h.location },
  } as unknown as ApprovalRequest;
  const grants = ACCESS_GRANT_STATES.map((state): AccessGrant => ({
    requestId: 'R01HOSTILE',
    cluster: h.cluster,
    level: h.group,
    user: { id: 'UALICE', name: h.person },
    kubernetesUser: h.person,
    group: h.group,
    roleRef: { kind: 'Role', name: h.name, namespace: h.location },
    bindingKind: 'RoleBinding',
    bindingName: h.name,
    csrName: h.name,
    durationSeconds: 3600,
    state,
    expiresAt: NOW.toISOString(),
    endedAt: NOW.toISOString(),
    revokedBy: { id: 'UBOB', name: h.person },
    endReason: h.message,
  }));
  for (const grant of grants) add(`access card (${grant.state})`, accessCardBlocks(access, grant));
  add('access list', accessListBlocks(grants, { askButton: true }));
  add(
    'access delivery',
    accessDeliveryText({
      cluster: h.cluster,
      level: h.group,
      expiresAt: NOW.toISOString(),
      requestId: 'R01HOSTILE',
      fileName: 'kubeconfig-prod.yaml',
    }),
  );
  add('request posted', requestPostedText(pending, 'C0CHANNEL'));
  add('pending requests', pendingRequestsBlocks([pending], NOW, h.cluster));
  add('pending requests text', pendingRequestsText([pending], NOW));
  add('reject modal', rejectModalView({ id: h.name, operation: 'aks-rotate-certs', cluster: h.cluster }, '{}'));
  // The others quote only the operation, counts and the configuration (validated ids, handles, cluster names).
  add(
    'refusal not-authorised',
    refusalText(
      refuse(
        'not-authorised',
        'You may not approve aks-rotate-certs on prod: it needs an approver. UBOB is neither an operator nor an approver',
      ),
      pending,
    ),
  );
  const audit = [
    {
      id: '1-0',
      type: 'vote' as const,
      at: NOW.toISOString(),
      actor: { id: 'UALICE', name: h.person },
      cluster: h.cluster,
      action: h.name,
      requestId: h.group,
      reason: h.reason,
      outcome: h.message,
    },
  ];
  add('audit blocks', auditBlocks(audit, { count: 1, cluster: h.cluster }));
  add('audit text', auditText(audit));

  const states: CsrLifecycle[] = ['pending', 'approved', 'denied', 'issued', 'failed', 'gone'];
  const csrs = states.map((state) => csr(h, state));
  for (const summary of csrs) {
    add(
      `csr card (${summary.state})`,
      csrCardBlocks({
        csr: summary,
        now: NOW,
        votes: {
          voters: [
            { id: 'U0ALICE', name: h.person },
            { id: 'k8s:x', name: h.person },
          ],
          required: 2,
        },
        note: 'Deleted while certops was away',
      }),
    );
    add(`csr card text (${summary.state})`, csrCardText(summary));
  }
  add('csr burst', csrBurstBlocks({ cluster: h.cluster, groupId: 'g1', members: csrs }));
  add('csr burst text', csrBurstText({ cluster: h.cluster, groupId: 'g1', members: csrs }));
  add('csr auto-approved', csrAutoApprovedContent(h.cluster, csrs));
  add('csr auto-denied', csrAutoDeniedContent(h.cluster, csrs));
  add(
    'csr list',
    csrListBlocks([
      { cluster: h.cluster, csrs },
      { cluster: h.cluster, csrs: [], error: h.message },
    ]),
  );
  add('csr deny modal', csrDenyModal({ cluster: h.cluster, name: h.name, uid: 'uid-1', channel: 'C0CHANNEL' }));

  const view = clusterView(h);
  const kinds = {
    aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'n', armEndpoint: 'https://management.azure.com' },
    kubeadm: { enabled: true, image: 'i', controlPlaneSelector: 's' },
    kms: { keyVaultUrl: 'https://v.example', keyName: 'k', verifyChallengeResource: true },
  };
  const subjects = expirySubjects(view.latest!.scan, NOW, THRESHOLDS);
  const items = subjects.map((subject) => ({
    subject,
    threshold: subject.status,
    advice: expiryAdvice(subject, kinds),
  }));
  add('expiry warning (one)', expiryWarningMessage(h.cluster, items.slice(0, 1)));
  const cardItems = items.map(cardItem);
  const snoozed = { kind: 'snoozed' as const, by: { id: 'UALICE', name: h.person }, until: NOW.toISOString() };
  const resolved = {
    kind: 'resolved' as const,
    requestId: h.name,
    operation: 'kms-rotate-key' as const,
    at: NOW.toISOString(),
    requester: { id: 'UALICE', name: h.person },
    approvers: [{ id: 'UBOB', name: h.person }],
  };
  add(
    'expiry warning (snoozed and resolved)',
    expiryWarningCard(
      h.cluster,
      cardItems.map((item, i) => ({ ...item, state: i % 2 === 0 ? snoozed : resolved })),
      new Date(NOW.getTime() - DAY),
    ),
  );
  add(
    'expiry warning (all resolved)',
    expiryWarningCard(
      h.cluster,
      cardItems.map((item) => ({ ...item, state: resolved })),
      NOW,
    ),
  );
  add(
    'expiry warning (many)',
    expiryWarningMessage(h.cluster, [...items, ...Array.from({ length: 20 }, () => items[0]!)]),
  );
  add('snooze notice', snoozedNotice(h.name, 'UALICE', NOW));

  const report = buildDigestReport({
    day: '2030-01-01',
    scope: { kind: 'cluster', cluster: h.cluster },
    now: NOW,
    thresholds: THRESHOLDS,
    clusters: [
      { ...view, pendingCsrs: 2, pendingRequests: 1 },
      { name: h.cluster, kinds: [], pendingCsrs: null, pendingRequests: 0 },
    ],
  });
  add('digest', digestMessages(report, 2));
  add('show all', showAllMessages(listedItemsOf(view, NOW, THRESHOLDS), 10, true));
  add(
    'status',
    statusMessage({
      clusters: [view, { name: h.cluster, kinds: [] }],
      now: NOW,
      thresholds: THRESHOLDS,
      refreshed: new Set(),
    }),
  );
  add(
    'expiring',
    expiringMessage({
      clusters: [view],
      now: NOW,
      thresholds: THRESHOLDS,
      refreshed: new Set(),
      withinSeconds: 30 * 86400,
    }),
  );
  add(
    'home',
    homeView({
      clusters: [{ ...view, pendingCsrs: 1, pendingRequests: 1 }],
      now: NOW,
      thresholds: THRESHOLDS,
      jobs: [],
    }),
  );
  add(
    'home with approvals, jobs and grants',
    homeView({
      clusters: [{ ...view, pendingCsrs: 1, pendingRequests: 1 }],
      now: NOW,
      thresholds: THRESHOLDS,
      approvals: [pending],
      jobs: [request(h, 'running'), request(h, 'approved')],
      grants,
    }),
  );
  add('help', helpBlocks([{ name: h.cluster, kubeadm: { enabled: true } } as never], h.name));
  const level: AccessLevel = {
    name: h.group,
    description: h.reason,
    role: h.name,
    namespace: h.location,
    maxDuration: 3600,
    approvals: 1,
    allowPrivileged: false,
  };
  add('access modal', accessModalView({ clusters: [{ name: h.cluster, access: { levels: [level] } }] }));
  add(
    'rotate modal',
    rotateModalView({
      clusters: [{ name: h.cluster, aks: kinds.aks }],
      cluster: h.cluster,
      operation: 'aks-rotate-certs',
    }),
  );
  return payloads;
}

describe('text certops did not write', () => {
  it('never becomes a ping, a link, formatting or an invisible character, in any builder', () => {
    fc.assert(
      fc.property(hostileInput, (h) => {
        const problems = everyPayload(h).flatMap(([label, payload]) =>
          markupProblems(payload).map((p) => `${label}: ${p}`),
        );
        expect(problems).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('still reaches the reader, shown as code or as plain text', () => {
    const h: Hostile = {
      cluster: 'prod',
      name: '<!channel> *PWNED*',
      location: 'x',
      person: 'mallory',
      reason: 'why\nnot',
      message: 'm',
      group: 'g',
    };
    const card = JSON.stringify(approvalCardBlocks(request(h, 'pending')));
    expect(card).toContain('Why:\\nwhy\\nnot');
    expect(JSON.stringify(csrCardBlocks({ csr: csr(h, 'pending'), now: NOW }))).toContain('`&lt;!channel&gt; *PWNED*`');
  });
});

/** Every plain_text object in a payload: its text and whether Slack turns `:code:` into emoji there. */
function plainTextObjects(
  payload: unknown,
  out: Array<{ text: string; emoji: boolean }> = [],
): Array<{ text: string; emoji: boolean }> {
  if (Array.isArray(payload)) for (const item of payload) plainTextObjects(item, out);
  else if (typeof payload === 'object' && payload !== null) {
    const record = payload as Record<string, unknown>;
    if (record.type === 'plain_text' && typeof record.text === 'string')
      out.push({ text: record.text, emoji: record.emoji === true });
    else for (const value of Object.values(record)) plainTextObjects(value, out);
  }
  return out;
}

// A letter between colons, so times such as 12:30:45 are not taken for codes.
const EMOJI_CODE = /:[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:/;

describe('emoji in plain_text', () => {
  // Input without colons: any emoji code in a plain_text is one certops wrote.
  const tame: Hostile = {
    cluster: 'prod',
    name: 'payments-api-tls',
    location: 'secret/payments',
    person: 'mallory',
    reason: 'renewal',
    message: 'done',
    group: 'ops',
  };

  it('an emoji code certops writes in plain_text is drawn: the object says emoji: true', () => {
    const shownAsTyped = everyPayload(tame).flatMap(([label, payload]) =>
      plainTextObjects(payload)
        .filter((t) => EMOJI_CODE.test(t.text) && !t.emoji)
        .map((t) => `${label}: ${JSON.stringify(t.text)}`),
    );
    expect(shownAsTyped).toEqual([]);
  });

  it('a plain_text that draws emoji carries no text certops did not write', () => {
    fc.assert(
      fc.property(hostileInput, (h) => {
        const drawn = everyPayload(h).flatMap(([label, payload]) =>
          plainTextObjects(payload)
            .filter((t) => t.emoji && t.text.includes(':PWNED:'))
            .map((t) => `${label}: ${JSON.stringify(t.text)}`),
        );
        expect(drawn).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
