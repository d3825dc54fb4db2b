import { validateView } from '../../../src/sandbox/slack';
import { homeView, type HomeCluster } from '../../../src/digest/blocks/home';
import type { ActionsBlock } from '@slack/types';
import { ActionIds, actionIdPattern } from '../../../src/slack/ids';
import type { AccessGrant } from '../../../src/state/access-grants';
import { pendingRequest } from '../approvals/fixtures';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from '../digest/fixtures';

describe('the App Home', () => {
  it('shows each cluster: counts, next expiry, pending CSRs and requests, its jobs', () => {
    const clusters: HomeCluster[] = [
      {
        name: 'prod',
        kinds: ['aks'],
        latest: { scan: scan('prod', [cert('api', 4), cert('web', 90)]), at: NOW },
        pendingCsrs: 2,
        pendingRequests: 1,
      },
      { name: 'lab', kinds: [], pendingCsrs: null, pendingRequests: 0 },
    ];
    const running = {
      ...pendingRequest('aks-rotate-certs', {}, 'RAAAAAAAB1'),
      cluster: 'prod',
      status: 'running' as const,
    };
    const view = homeView({ clusters, now: NOW, thresholds: THRESHOLDS, jobs: [running] });
    expect(validateView(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain(':large_orange_circle: 1 critical');
    expect(text).toContain('next: *api* 4d left');
    expect(text).toContain('*Pending CSRs*\\n2');
    expect(text).toContain('*Pending approval requests*\\n1');
    expect(text).toContain('*Jobs*\\n1 running');
    expect(text).toContain('*Jobs*\\nnone');
    expect(text).toContain('*lab* · no scan yet');
    expect(text).toContain('unknown (cluster not reachable)');
  });

  it('stays within the Home tab limit with many clusters', () => {
    const clusters: HomeCluster[] = Array.from({ length: 60 }, (_, i) => ({
      name: `c${i}`,
      kinds: [],
      pendingCsrs: 0,
      pendingRequests: 0,
    }));
    const view = homeView({ clusters, now: NOW, thresholds: THRESHOLDS, jobs: [] });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain('…and 45 more clusters');
  });

  it('counts the KMS key with the certificates and names what needs attention, with why', () => {
    const clusters: HomeCluster[] = [
      {
        name: 'aks-prod',
        kinds: ['aks', 'kms'],
        latest: {
          scan: scan('aks-prod', [cert('api', 90)], [kmsKey('aks-prod', 19, { newerVersion: true })]),
          at: NOW,
        },
        pendingCsrs: 0,
        pendingRequests: 0,
      },
    ];
    const text = JSON.stringify(homeView({ clusters, now: NOW, thresholds: THRESHOLDS, jobs: [] }));
    expect(text).toContain(':large_yellow_circle: 1 warning · :large_green_circle: 1 ok');
    expect(text).toContain('1 KMS key needs attention: *etcd* (KMS key, 19d left, a newer key version exists)');
    expect(text).toContain('next: *api* 90d left'.replace('api* 90d', 'etcd* (KMS key) 19d'));
  });

  it('lists the requests waiting for this person with Approve and Reject carrying the request card ids, each in its own block', () => {
    const requests = [
      pendingRequest('reencrypt-secrets', {}, 'RAAAAAAAA1'),
      pendingRequest('aks-rotate-certs', {}, 'RAAAAAAAA2'),
    ];
    const view = homeView({ clusters: [], now: NOW, thresholds: THRESHOLDS, approvals: requests, jobs: [] });
    expect(validateView(view)).toEqual([]);
    const actions = view.blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('certops_home_vote'));
    expect(actions.map((b) => b.block_id)).toEqual(['certops_home_vote:0', 'certops_home_vote:1']);
    const buttons = actions.flatMap((b) => (b as ActionsBlock).elements) as Array<{
      action_id: string;
      value: string;
      confirm?: unknown;
    }>;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      [`${ActionIds.approveRequest}:RAAAAAAAA1`, 'RAAAAAAAA1'],
      [`${ActionIds.rejectRequest}:RAAAAAAAA1`, 'RAAAAAAAA1'],
      [`${ActionIds.approveRequest}:RAAAAAAAA2`, 'RAAAAAAAA2'],
      [`${ActionIds.rejectRequest}:RAAAAAAAA2`, 'RAAAAAAAA2'],
    ]);
    // The request card's handlers listen to these ids.
    for (const b of buttons)
      expect(
        actionIdPattern(ActionIds.approveRequest).test(b.action_id) ||
          actionIdPattern(ActionIds.rejectRequest).test(b.action_id),
      ).toBe(true);
    // The dangerous operation asks before its approval counts, as on the card; the other does not.
    expect(buttons[0]?.confirm).toBeUndefined();
    expect(buttons[2]?.confirm).toBeDefined();
    const text = JSON.stringify(view);
    expect(text).toContain('*Waiting for your approval* (2)');
    expect(text).toContain('requested by <@UALICE>');
    expect(text).toMatch(/0 of \d approvals?/);
  });

  it.each([
    ['nothing waiting', [], 'Nothing: no open request needs your vote.'],
    ['no jobs', [], 'None right now.'],
  ])('says so when there is %s', (_case, approvals, phrase) => {
    const text = JSON.stringify(homeView({ clusters: [], now: NOW, thresholds: THRESHOLDS, approvals, jobs: [] }));
    expect(text).toContain(phrase);
  });

  it('shows running jobs with their state, live access grants and the shortcuts', () => {
    const running = {
      ...pendingRequest('aks-rotate-certs', {}, 'RAAAAAAAA3'),
      status: 'running' as const,
      job: { step: { name: 'rotating', done: 1, total: 3, unit: 'steps' as const } },
    };
    const grant: AccessGrant = {
      requestId: 'RAAAAAAAA4',
      cluster: 'aks-prod',
      level: 'view',
      user: { id: 'U0BOB', name: 'bob' },
      kubernetesUser: 'certops:bob',
      group: 'certops:view',
      roleRef: { kind: 'ClusterRole', name: 'view' },
      bindingKind: 'ClusterRoleBinding',
      bindingName: 'certops-bob',
      csrName: 'csr-bob',
      durationSeconds: 3600,
      state: 'active',
      expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
    };
    const view = homeView({
      clusters: [],
      now: NOW,
      thresholds: THRESHOLDS,
      approvals: [],
      jobs: [running],
      grants: [grant],
    });
    expect(validateView(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('*Jobs: running and queued* (1 running)');
    expect(text).toContain('running step 2 of 3: `rotating`');
    expect(text).toContain('*Temporary access right now* (1)');
    expect(text).toContain('`/certs expiring`');
    const shortcuts = view.blocks.find((b) => b.block_id === 'certops_home_shortcuts') as ActionsBlock;
    const shortcutIds = shortcuts.elements.map((e) => (e as { action_id: string }).action_id);
    expect(shortcutIds).toEqual([ActionIds.openRotate, ActionIds.openAccess]);
  });

  // The Jobs section and each cluster's Jobs field read the same list: queued jobs are named queued in both.
  it.each<[string, Array<'running' | 'approved'>, string, string[]]>([
    ['nothing', [], 'none', ['*Jobs: running and queued*\\nNone right now.']],
    ['one queued', ['approved'], '1 queued', ['(1 queued)', '· queued ·']],
    ['one running', ['running'], '1 running', ['(1 running)', '· running ·']],
    ['running and queued', ['running', 'approved', 'approved'], '1 running · 2 queued', ['(1 running · 2 queued)']],
  ])('jobs: %s', (_case, statuses, field, inSection) => {
    const jobs = statuses.map((status, i) => ({
      ...pendingRequest('aks-rotate-certs', {}, `RAAAAAAAC${i}`),
      cluster: 'prod',
      status,
    }));
    const clusters: HomeCluster[] = [{ name: 'prod', kinds: ['aks'], pendingCsrs: 0, pendingRequests: 0 }];
    const view = homeView({ clusters, now: NOW, thresholds: THRESHOLDS, jobs });
    const text = JSON.stringify(view);
    expect(text).toContain(`*Jobs*\\n${field}`);
    for (const piece of inSection) expect(text).toContain(piece);
    expect(text).not.toContain('Running rotations');
    expect(text).not.toContain('*Running jobs*');
  });

  it('offers no access button when no cluster offers access', () => {
    const text = JSON.stringify(homeView({ clusters: [], now: NOW, thresholds: THRESHOLDS, approvals: [], jobs: [] }));
    expect(text).toContain(ActionIds.openRotate);
    expect(text).not.toContain(ActionIds.openAccess);
  });
});
