import { parseConfig } from '../../../src/config/load';
import { ConfigError } from '../../../src/util/errors';

const cluster = (access: unknown, extra: Record<string, unknown> = {}) => ({
  name: 'prod',
  kubeconfig: '/tmp/kc.yaml',
  channel: 'C0123ABCD',
  access,
  ...extra,
});

function problem(raw: unknown): string | undefined {
  try {
    parseConfig(raw, 'certops.yaml', {});
    return undefined;
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
}

describe('access levels in the configuration', () => {
  it('reads levels with their defaults: 1h, two approvals, nothing privileged', () => {
    const config = parseConfig(
      {
        clusters: [
          cluster({
            levels: [
              { name: 'view', clusterRole: 'view' },
              { name: 'shop', role: 'debugger', namespace: 'shop', maxDuration: '2h', approvals: 3 },
            ],
          }),
        ],
      },
      'certops.yaml',
      {},
    );
    expect(config.clusters[0]?.access?.levels).toEqual([
      { name: 'view', clusterRole: 'view', maxDuration: 3600, approvals: 2, allowPrivileged: false },
      { name: 'shop', role: 'debugger', namespace: 'shop', maxDuration: 7200, approvals: 3, allowPrivileged: false },
    ]);
    expect(config.access).toEqual({ hardCap: 8 * 3600, sweepInterval: 60, issueTimeout: 60 });
  });

  it.each([
    [
      'cluster-admin cluster-wide',
      { levels: [{ name: 'root', clusterRole: 'cluster-admin' }] },
      {},
      'certops.yaml: clusters[0].access.levels[0].clusterRole: refused: cluster-admin bound cluster-wide grants everything, as system:masters does. Set allowPrivileged: true on this level to allow it knowingly',
    ],
    [
      'a control-plane role',
      { levels: [{ name: 'kcm', clusterRole: 'system:kube-controller-manager' }] },
      {},
      'clusters[0].access.levels[0].clusterRole: refused: system:kube-controller-manager is a control-plane role; such roles can reach system:masters',
    ],
    [
      'a role naming system:masters',
      { levels: [{ name: 'm', role: 'system:masters', namespace: 'x' }] },
      {},
      'clusters[0].access.levels[0].role: refused',
    ],
    [
      'both clusterRole and role',
      { levels: [{ name: 'x', clusterRole: 'view', role: 'y', namespace: 'n' }] },
      {},
      'clusters[0].access.levels[0].clusterRole: set exactly one of clusterRole or role',
    ],
    [
      'a role without a namespace',
      { levels: [{ name: 'x', role: 'debugger' }] },
      {},
      'clusters[0].access.levels[0].namespace: required with role',
    ],
    [
      'a maximum under ten minutes',
      { levels: [{ name: 'x', clusterRole: 'view', maxDuration: '5m' }] },
      {},
      'clusters[0].access.levels[0].maxDuration: maxDuration must be at least 10m',
    ],
    [
      'a maximum over the hard cap',
      { levels: [{ name: 'x', clusterRole: 'view', maxDuration: '9h' }] },
      {},
      'clusters[0].access.levels[0].maxDuration: 9h is over access.hardCap (8h); shorten it or raise the cap',
    ],
    [
      'one approval without the opt-in',
      { levels: [{ name: 'x', clusterRole: 'view', approvals: 1 }] },
      {},
      'clusters[0].access.levels[0].approvals: access needs at least 2 approvals',
    ],
    [
      'a duplicate level',
      {
        levels: [
          { name: 'x', clusterRole: 'view' },
          { name: 'x', clusterRole: 'edit' },
        ],
      },
      {},
      'clusters[0].access.levels[1].name: duplicate access level "x"',
    ],
    [
      'an unknown key',
      { levels: [{ name: 'x', clusterRole: 'view', groups: ['system:masters'] }] },
      {},
      'clusters[0].access.levels[0]: unknown key "groups"',
    ],
  ])('refuses %s with an error naming the field', (_name, access, extra, expected) => {
    expect(problem({ clusters: [cluster(access, extra)] })).toContain(expected);
  });

  it('allows cluster-admin only where the level says allowPrivileged, and cluster-admin inside one namespace', () => {
    expect(
      problem({
        clusters: [cluster({ levels: [{ name: 'root', clusterRole: 'cluster-admin', allowPrivileged: true }] })],
      }),
    ).toBeUndefined();
    expect(
      problem({
        clusters: [cluster({ levels: [{ name: 'ns-admin', clusterRole: 'cluster-admin', namespace: 'shop' }] })],
      }),
    ).toBeUndefined();
  });

  it('takes a raised hard cap and a single approval with allowSinglePersonApproval', () => {
    const raw = {
      access: { hardCap: '12h' },
      clusters: [
        cluster(
          { levels: [{ name: 'x', clusterRole: 'view', maxDuration: '10h', approvals: 1 }] },
          { allowSinglePersonApproval: true },
        ),
      ],
    };
    expect(problem(raw)).toBeUndefined();
  });
});
