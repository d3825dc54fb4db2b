import { Authorizer } from '../../../src/sandbox/kube/auth';
import { impersonate } from '../../../src/sandbox/kube/impersonation';
import { ApiError } from '../../../src/sandbox/kube/status';
import type { UserInfo } from '../../../src/sandbox/kube/types';

const admin: UserInfo = { name: 'admin', uid: 'u-1', groups: ['system:masters', 'system:authenticated'] };
const helpdesk: UserInfo = { name: 'helpdesk', uid: 'u-2', groups: ['support', 'system:authenticated'] };

function outcome(requester: UserInfo, headers: Record<string, string[]>): UserInfo | { code: number; message: string } {
  const authorizer = new Authorizer();
  authorizer.grant({ subject: 'support', verbs: ['impersonate'], resources: ['users'] });
  try {
    return impersonate(requester, headers, authorizer);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.status.code, message: err.status.message ?? '' };
  }
}

describe('impersonation headers, as the API server judges them', () => {
  const cases: Array<{ name: string; requester: UserInfo; headers: Record<string, string[]>; expected: unknown }> = [
    { name: 'no header leaves the caller as it is', requester: admin, headers: {}, expected: admin },
    {
      name: 'a user and groups replace the caller, with system:authenticated added',
      requester: admin,
      headers: { 'impersonate-user': ['jane'], 'impersonate-group': ['devs', 'ops'] },
      expected: { name: 'jane', uid: '', groups: ['devs', 'ops', 'system:authenticated'] },
    },
    {
      name: 'a service account gets its namespace groups',
      requester: admin,
      headers: { 'impersonate-user': ['system:serviceaccount:kube-system:default'] },
      expected: {
        name: 'system:serviceaccount:kube-system:default',
        uid: '',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
    },
    {
      name: 'extra fields and a uid are carried',
      requester: admin,
      headers: {
        'impersonate-user': ['jane'],
        'impersonate-uid': ['1234'],
        'impersonate-extra-scopes': ['view', 'edit'],
      },
      expected: { name: 'jane', uid: '1234', groups: ['system:authenticated'], extra: { scopes: ['view', 'edit'] } },
    },
    {
      name: 'groups without a user are a bad request',
      requester: admin,
      headers: { 'impersonate-group': ['devs'] },
      expected: {
        code: 400,
        message: 'requested impersonation of groups, uid or extra fields without impersonating a user',
      },
    },
    {
      name: 'a caller granted impersonate on users may impersonate a user',
      requester: helpdesk,
      headers: { 'impersonate-user': ['jane'] },
      expected: { name: 'jane', uid: '', groups: ['system:authenticated'] },
    },
    {
      name: 'the same caller may not add groups it was not granted',
      requester: helpdesk,
      headers: { 'impersonate-user': ['jane'], 'impersonate-group': ['system:masters'] },
      expected: {
        code: 403,
        message:
          'groups "system:masters" is forbidden: User "helpdesk" cannot impersonate resource "groups" in API group "" at the cluster scope',
      },
    },
    {
      name: 'nor impersonate a service account',
      requester: helpdesk,
      headers: { 'impersonate-user': ['system:serviceaccount:kube-system:certops'] },
      expected: {
        code: 403,
        message:
          'serviceaccounts "certops" is forbidden: User "helpdesk" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"',
      },
    },
  ];
  it.each(cases)('$name', ({ requester, headers, expected }) => {
    expect(outcome(requester, headers)).toEqual(expected);
  });
});
