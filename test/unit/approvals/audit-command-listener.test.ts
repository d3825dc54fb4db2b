import { auditCommand, parseAuditArgs, type AuditCommandDeps } from '../../../src/approvals/listeners/audit-command';
import type { AuditRecord } from '../../../src/state/audit-log';
import { UsageError } from '../../../src/util/errors';
import { NOW, USERS, slash, world, type World } from './listener-world';

const RECORD: AuditRecord = {
  id: '1-0',
  at: NOW.toISOString(),
  type: 'vote',
  action: 'kubeadm-renew',
  cluster: 'prod',
  requestId: 'R0000000AA',
  actor: { id: USERS.approver1, name: 'alice' },
  outcome: 'accepted: 1 of 2',
};

function deps(w: World, asked: unknown[]): AuditCommandDeps {
  return {
    config: w.deps.config,
    directory: w.deps.directory,
    audit: {
      latest: (count, filter) => {
        asked.push({ count, ...filter });
        return Promise.resolve([RECORD]);
      },
    },
  };
}

describe('/certs audit listener', () => {
  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])('refuses %s without reading the trail', async (_case, user) => {
    const w = world();
    const asked: unknown[] = [];
    await auditCommand(deps(w, asked))(slash(w, user, []));
    expect(asked).toEqual([]);
    expect(w.bolt.responses()).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^Only operators and approvers may read the audit trail: /),
      }),
    ]);
  });

  it.each([
    [[], { count: 20 }],
    [['5'], { count: 5 }],
    [['prod', '7'], { count: 7, cluster: 'prod' }],
  ])('reads the latest entries for an approver (args %j → %j) and answers them ephemerally', async (args, scope) => {
    const w = world();
    const asked: unknown[] = [];
    await auditCommand(deps(w, asked))(slash(w, USERS.approver1, args));
    expect(asked).toEqual([scope]);
    const [answer] = w.bolt.responses();
    expect(answer?.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer)).toContain('R0000000AA');
  });

  it.each([
    [['0'], /N must be between 1 and 100/],
    [['101'], /N must be between 1 and 100/],
    [['staging'], /Unknown cluster `staging`/],
    [['prod', 'prod'], /Too many arguments/],
  ])('throws a usage error for %j', (args, message) => {
    const w = world();
    expect(() => parseAuditArgs(w.deps, args)).toThrow(UsageError);
    expect(() => parseAuditArgs(w.deps, args)).toThrow(message);
  });
});
