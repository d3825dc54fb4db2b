import { accessCardSection } from '../../../src/access/access-card-section';
import type { AccessBindingRef } from '../../../src/access/access-bindings-api';
import type { CreateAccessRequestDeps } from '../../../src/access/create-access-request';
import type { RevokeAccessDeps } from '../../../src/access/revoke-access';
import { parseConfig } from '../../../src/config/load';
import type { ApprovalRequest } from '../../../src/core/approvals';
import type { AccessGrant } from '../../../src/state/access-grants';
import type { AuditEntry } from '../../../src/state/audit-log';
import type { RequestMessageRef } from '../../../src/state/request-message-map';
import { silentLogger } from '../../../src/util/logger';
import { fakeDirectory } from '../../helpers/fake-bolt';

// An in-memory world for the access listeners: the stores they write, the notifier that posts cards, the cluster's
// bindings. Each records what it was given, so a test asserts what was stored, posted, deleted and audited.

export const NOW = new Date('2026-12-05T10:00:00Z');
export const PROD_CHANNEL = 'C0PRODOPS';
export const CARD_TS = '1733392800.000100';

export const config = parseConfig(
  {
    clusters: [
      {
        name: 'prod',
        kubeconfig: '/unused',
        channel: PROD_CHANNEL,
        access: { levels: [{ name: 'view', clusterRole: 'view', maxDuration: '1h' }] },
      },
      { name: 'bare', kubeconfig: '/unused', channel: 'C0BAREOPS' },
    ],
  },
  'certops.yaml',
  {},
);

/** Rita and Olive may request (operators), Alice may approve; Gus is a guest listed as operator; Nora is listed nowhere. */
export const directory = () =>
  fakeDirectory(
    { operators: ['U0RITA', 'U0GUS', 'U0OLIVE'], approvers: ['U0ALICE'] },
    { U0RITA: { name: 'rita' }, U0ALICE: { name: 'alice' }, U0GUS: { name: 'gus', isRestricted: true } },
  );

/** A live grant of `view` on prod held by Rita. */
export function liveGrant(over: Partial<AccessGrant> = {}): AccessGrant {
  return {
    requestId: 'RABCDEFGH1',
    cluster: 'prod',
    level: 'view',
    user: { id: 'U0RITA', name: 'rita' },
    kubernetesUser: 'certops-access:rita',
    group: 'certops:access:rabcdefgh1',
    roleRef: { kind: 'ClusterRole', name: 'view' },
    bindingKind: 'ClusterRoleBinding',
    bindingName: 'certops-access-rabcdefgh1',
    csrName: 'certops-access-rabcdefgh1',
    durationSeconds: 1800,
    state: 'active',
    issuedAt: '2026-12-05T09:50:00.000Z',
    expiresAt: '2026-12-05T10:20:00.000Z',
    ...over,
  };
}

export interface AccessWorld {
  deps: CreateAccessRequestDeps & RevokeAccessDeps & { accessGrants: { listLive(): Promise<AccessGrant[]> } };
  requests: Map<string, ApprovalRequest>;
  grants: Map<string, AccessGrant>;
  audited: AuditEntry[];
  cancelled: string[];
  posted: Array<{ channel: string; text?: string }>;
  cardsRecorded: Map<string, RequestMessageRef>;
  deletedBindings: Array<Pick<AccessBindingRef, 'kind' | 'namespace' | 'name'>>;
  refreshed: string[];
}

export function accessWorld(
  opts: { postError?: unknown; createFails?: boolean; deleteError?: unknown; grants?: AccessGrant[] } = {},
): AccessWorld {
  const requests = new Map<string, ApprovalRequest>();
  const grants = new Map((opts.grants ?? []).map((g) => [g.requestId, g]));
  const audited: AuditEntry[] = [];
  const cancelled: string[] = [];
  const posted: AccessWorld['posted'] = [];
  const cardsRecorded = new Map<string, RequestMessageRef>();
  const deletedBindings: AccessWorld['deletedBindings'] = [];
  const refreshed: string[] = [];
  const record = (entry: AuditEntry) => {
    audited.push(entry);
    return Promise.resolve({ ...entry, id: `${audited.length}-0`, at: NOW.toISOString() } as never);
  };
  const deps: AccessWorld['deps'] = {
    config,
    logger: silentLogger(),
    now: () => NOW,
    directory: directory(),
    approvals: {
      create: (request) => {
        if (opts.createFails) return Promise.reject(new Error('redis down'));
        requests.set(request.id, request);
        return Promise.resolve({ ok: true, request });
      },
      get: (id) => Promise.resolve(requests.get(id)),
      cancel: (id) => {
        cancelled.push(id);
        const request = requests.get(id);
        return Promise.resolve(request ? { ok: true, request } : { ok: false, code: 'not-found', message: 'gone' });
      },
    },
    audit: { append: record, appendOnce: (_key, entry) => record(entry) },
    notifier: {
      post: (message) => {
        if (opts.postError) return Promise.reject(opts.postError);
        posted.push({ channel: message.channel, text: message.text });
        return Promise.resolve({ channel: message.channel, ts: CARD_TS });
      },
      update: () => Promise.resolve(),
    },
    slack: { chat: { getPermalink: () => Promise.resolve({ ok: true }) } },
    requestMessages: {
      get: (id) => Promise.resolve(cardsRecorded.get(id)),
      put: (id, ref) => {
        cardsRecorded.set(id, ref);
        return Promise.resolve();
      },
    },
    cardSection: accessCardSection({ get: (id) => Promise.resolve(grants.get(id)) }),
    accessGrants: {
      get: (id) => Promise.resolve(grants.get(id)),
      end: (grant) => {
        const current = grants.get(grant.requestId);
        if (current && current.state !== 'active' && current.state !== 'issuing') return Promise.resolve(false);
        grants.set(grant.requestId, grant);
        return Promise.resolve(true);
      },
      listLive: () =>
        Promise.resolve([...grants.values()].filter((g) => g.state === 'active' || g.state === 'issuing')),
    },
    accessBindings: (cluster) =>
      cluster === 'prod'
        ? {
            list: () => Promise.resolve([]),
            delete: (ref) => {
              if (opts.deleteError) return Promise.reject(opts.deleteError);
              deletedBindings.push(ref);
              return Promise.resolve();
            },
          }
        : undefined,
    refreshCard: (request) => {
      refreshed.push(request.id);
      return Promise.resolve();
    },
  };
  return { deps, requests, grants, audited, cancelled, posted, cardsRecorded, deletedBindings, refreshed };
}

/** Slack's answer when certops is not in the channel. */
export const notInChannel = Object.assign(new Error('An API error occurred: not_in_channel'), {
  code: 'slack_webapi_platform_error',
  data: { ok: false, error: 'not_in_channel' },
});
