import type { HomeView } from '@slack/types';
import type { ApprovalRequest } from '../../../src/core/approvals';
import {
  appHomeOpenedListener,
  mayVoteOn,
  type AppHomeDeps,
} from '../../../src/digest/listeners/events/app-home-opened';
import type { EventArgs } from '../../../src/slack/listener-args';
import type { AccessGrant } from '../../../src/state/access-grants';
import { silentLogger } from '../../../src/util/logger';
import { fakeBolt, fakeDirectory } from '../../helpers/fake-bolt';
import { approverAuth, bob, carol, nobodyAuth, operatorAuth, pendingRequest } from '../approvals/fixtures';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from './fixtures';

// alice opened every request; the AKS rotation is dangerous (approvers only), re-encryption is not (operators too).
const DANGEROUS = { ...pendingRequest('aks-rotate-certs', {}, 'RAAAAAAAA1'), cluster: 'aks-prod' };
const LOW_RISK = { ...pendingRequest('reencrypt-secrets', {}, 'RAAAAAAAA2'), cluster: 'aks-prod' };
const VOTED = {
  ...pendingRequest('reencrypt-secrets', {}, 'RAAAAAAAA3'),
  cluster: 'aks-prod',
  votes: [{ userId: 'U0APPROVER', userName: 'approver', at: NOW.toISOString() }],
};
const RUNNING: ApprovalRequest = {
  ...pendingRequest('aks-rotate-certs', {}, 'RAAAAAAAA4'),
  cluster: 'aks-prod',
  status: 'running',
};

function setup(opts: { access?: boolean; failClusters?: boolean } = {}) {
  const deps: AppHomeDeps = {
    directory: fakeDirectory(
      { readers: ['U0READER'], operators: ['U0OPERATOR'], approvers: ['U0APPROVER', 'UALICE'] },
      { U0GUEST: { isRestricted: true } },
    ),
    loadClusters: () =>
      opts.failClusters
        ? Promise.reject(new Error('redis down'))
        : Promise.resolve([
            {
              name: 'aks-prod',
              kinds: ['aks', 'kms'],
              latest: {
                scan: scan(
                  'aks-prod',
                  [cert('api', 90)],
                  [kmsKey('aks-prod', 19, { keyName: 'etcd-kms', newerVersion: true })],
                ),
                at: NOW,
              },
              pendingCsrs: 0,
              pendingRequests: 3,
            },
          ]),
    approvals: { listPending: () => Promise.resolve([DANGEROUS, LOW_RISK, VOTED]) },
    runningJobs: () => Promise.resolve([RUNNING]),
    ...(opts.access ? { accessGrants: { listLive: () => Promise.resolve([] as AccessGrant[]) } } : {}),
    thresholds: THRESHOLDS,
    now: () => NOW,
    logger: silentLogger(),
  };
  return { deps };
}

async function open(deps: AppHomeDeps, user: string, tab: string | undefined = 'home') {
  const bolt = fakeBolt();
  const args = {
    event: { type: 'app_home_opened', user, channel: 'D0HOME', ...(tab ? { tab } : {}), event_ts: '1' },
    client: bolt.client,
  } as unknown as EventArgs<'app_home_opened'>;
  await appHomeOpenedListener(deps)(args);
  const published = bolt.calls.filter((c) => c.method === 'views.publish');
  return { bolt, published, view: published[0]?.args.view as HomeView | undefined };
}

const voteValues = (view: HomeView | undefined) =>
  (view?.blocks ?? [])
    .filter((b) => b.block_id?.startsWith('certops_home_vote'))
    .flatMap((b) => ('elements' in b ? (b.elements as Array<{ value: string }>) : []))
    .map((e) => e.value);

describe('App Home listener', () => {
  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest', 'U0GUEST'],
  ])('publishes the refusal for %s, reading nothing else', async (_case, user) => {
    const { deps } = setup();
    const { published, view } = await open(deps, user);
    expect(published).toHaveLength(1);
    expect(published[0]?.args.user_id).toBe(user);
    expect(JSON.stringify(view)).toContain('only for certops readers, operators and approvers');
  });

  it('ignores the Messages tab', async () => {
    const { deps } = setup();
    const { bolt } = await open(deps, 'U0READER', 'messages');
    expect(bolt.calls).toEqual([]);
  });

  it.each([
    [
      'an approver sees the requests they may still vote on',
      'U0APPROVER',
      ['RAAAAAAAA1', 'RAAAAAAAA1', 'RAAAAAAAA2', 'RAAAAAAAA2'],
    ],
    ['an operator sees only the low-risk ones', 'U0OPERATOR', ['RAAAAAAAA2', 'RAAAAAAAA2', 'RAAAAAAAA3', 'RAAAAAAAA3']],
    ['the requester sees none of their own', 'UALICE', []],
    ['a reader sees none', 'U0READER', []],
  ])('%s', async (_case, user, values) => {
    const { deps } = setup();
    const { view } = await open(deps, user);
    expect(voteValues(view)).toEqual(values);
  });

  it('shows the cluster from the attention source, the running job and the shortcuts; grants only when access is offered', async () => {
    const without = await open(setup().deps, 'U0READER');
    const text = JSON.stringify(without.view);
    expect(text).toContain('1 KMS key needs attention: *etcd-kms* (KMS key, 19d left, a newer key version exists)');
    expect(text).toContain('*Jobs: running and queued* (1 running)');
    expect(text).toContain('`RAAAAAAAA4`');
    expect(text).toContain('*Shortcuts*');
    expect(text).not.toContain('Temporary access');
    const withAccess = await open(setup({ access: true }).deps, 'U0READER');
    expect(JSON.stringify(withAccess.view)).toContain('*Temporary access*: nobody has any right now');
  });

  it('publishes nothing and logs when reading fails (Slack keeps the last Home tab)', async () => {
    const { published } = await open(setup({ failClusters: true }).deps, 'U0READER');
    expect(published).toEqual([]);
  });
});

describe('who may vote on a request from the Home tab', () => {
  it.each([
    ['an approver on a dangerous request', approverAuth(bob), DANGEROUS, true],
    ['an operator on a dangerous request', operatorAuth(bob), DANGEROUS, false],
    ['an operator on a low-risk request', operatorAuth(bob), LOW_RISK, true],
    ['someone with no role', nobodyAuth(carol), LOW_RISK, false],
    ['the requester', approverAuth({ id: 'UALICE', name: 'alice' }), LOW_RISK, false],
    ['someone who already voted', approverAuth({ id: 'U0APPROVER', name: 'approver' }), VOTED, false],
    ['someone standing for the requester', approverAuth(bob), { ...LOW_RISK, requesterPeople: [bob.id] }, false],
  ])('%s', (_case, auth, request, expected) => {
    expect(mayVoteOn(request, auth.userId, auth)).toBe(expected);
  });
});
