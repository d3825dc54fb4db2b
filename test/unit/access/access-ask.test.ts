import { checkAccessAsk, type AccessCluster } from '../../../src/core/access';

const clusters: AccessCluster[] = [
  {
    name: 'prod',
    access: {
      levels: [
        { name: 'view', clusterRole: 'view', maxDuration: 3600, approvals: 2, allowPrivileged: false },
        { name: 'shop', role: 'debugger', namespace: 'shop', maxDuration: 7200, approvals: 3, allowPrivileged: false },
      ],
    },
  },
  { name: 'bare' },
];

describe('an ask for temporary access', () => {
  it('is accepted with the level as configured, the role it binds and the duration in seconds', () => {
    const result = checkAccessAsk(
      { cluster: 'prod', level: 'shop', duration: '90m', reason: 'INC-4711 pods crash' },
      clusters,
    );
    expect(result).toEqual({
      ok: true,
      ask: {
        cluster: 'prod',
        level: clusters[0]?.access?.levels[1],
        roleRef: { kind: 'Role', name: 'debugger', namespace: 'shop' },
        durationSeconds: 5400,
        reason: 'INC-4711 pods crash',
      },
    });
  });

  it.each([
    ['nothing named', {}, 'level', 'Name a cluster, an access level, a duration and a reason.'],
    [
      'an unknown cluster',
      { cluster: 'nope', level: 'view', duration: '1h', reason: 'r' },
      'level',
      'Unknown cluster `nope`.',
    ],
    [
      'a cluster without levels',
      { cluster: 'bare', level: 'view', duration: '1h', reason: 'r' },
      'level',
      'Cluster `bare` offers no access levels.',
    ],
    [
      'an unknown level',
      { cluster: 'prod', level: 'admin', duration: '1h', reason: 'r' },
      'level',
      'Unknown access level `admin` on `prod`.\nClusters and their access levels:\n• `prod`: `view` (up to 1h), `shop` (up to 2h)',
    ],
    [
      'a duration over the level maximum',
      { cluster: 'prod', level: 'view', duration: '2h', reason: 'r' },
      'duration',
      '2h is over the maximum of `view` on `prod` (1h). Ask for 1h or less',
    ],
    [
      'a duration Kubernetes will not issue',
      { cluster: 'prod', level: 'view', duration: '5m', reason: 'r' },
      'duration',
      '5m is too short: Kubernetes issues client certificates for at least 10m',
    ],
    [
      'something that is not a duration',
      { cluster: 'prod', level: 'view', duration: 'soon', reason: 'r' },
      'duration',
      '`soon` is not a duration',
    ],
    [
      'no reason',
      { cluster: 'prod', level: 'view', duration: '1h', reason: '  ' },
      'reason',
      'Say why: a reason is required',
    ],
    [
      'a reason too long to read before voting',
      { cluster: 'prod', level: 'view', duration: '1h', reason: 'x'.repeat(501) },
      'reason',
      'The reason has 501 characters; keep it to 500',
    ],
  ])('is refused for %s, naming the field and how to do it right', (_name, input, field, message) => {
    const result = checkAccessAsk(input, clusters);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toContain(message);
  });
});

describe('what a refused ask echoes back', () => {
  it.each([
    [
      'a broadcast in the cluster name',
      { cluster: '<!channel>', level: 'view', duration: '1h', reason: 'r' },
      'Unknown cluster `??channel?`.',
    ],
    [
      'a backtick that would end the code span',
      { cluster: 'prod', level: 'x` <!here> `', duration: '1h', reason: 'r' },
      'Unknown access level `x????here???` on `prod`.',
    ],
    [
      'a link in the duration',
      { cluster: 'prod', level: 'view', duration: '<https://evil.example|1h>', reason: 'r' },
      '`?https:??evil.example?1h?` is not a duration',
    ],
    [
      'an entity and a user mention',
      { cluster: '&lt;@U0ADMIN&gt;', level: 'view', duration: '1h', reason: 'r' },
      'Unknown cluster `?lt??U0ADMIN?gt?`.',
    ],
    [
      'a name longer than any cluster',
      { cluster: 'a'.repeat(300), level: 'view', duration: '1h', reason: 'r' },
      `Unknown cluster \`${'a'.repeat(63)}…\`.`,
    ],
  ])('shows %s as inert characters inside one code span', (_name, input, message) => {
    const result = checkAccessAsk(input, clusters);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.message).not.toMatch(/[<>&]/);
  });
});
