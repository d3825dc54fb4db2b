import {
  authorise,
  canApprove,
  referencedGroupHandles,
  type AuthoriseInput,
  type SlackUserFacts,
} from '../../../src/core/roles';

const person = (id: string, facts: Partial<SlackUserFacts> = {}): SlackUserFacts => ({
  id,
  deleted: false,
  isBot: false,
  isRestricted: false,
  isUltraRestricted: false,
  ...facts,
});

const groupMembers = new Map([
  ['@sre', new Set(['USREMEMBER'])],
  ['@devs', new Set(['UDEV'])],
  ['@auditors', new Set(['UAUDITOR'])],
]);
const roles = {
  global: { operators: ['UOPERATOR', '@devs'], approvers: ['UAPPROVER', '@sre'], readers: ['UREADER', '@auditors'] },
  cluster: { operators: ['UCLUSTEROP'], approvers: ['UCLUSTERAPPROVER'], readers: ['UCLUSTERREADER'] },
  clusterName: 'prod',
};

type Rights = [canRequest: boolean, canApproveDangerous: boolean, canApproveLowRisk: boolean, canRead: boolean];
const table: Array<[string, SlackUserFacts, Rights, RegExp]> = [
  [
    'an approver listed by ID may request and approve everything',
    person('UAPPROVER'),
    [true, true, true, true],
    /listed in slack\.roles\.approvers/,
  ],
  [
    'a member of an approver group may approve everything',
    person('USREMEMBER'),
    [true, true, true, true],
    /member of @sre/,
  ],
  [
    'an operator may request anything and approve low-risk operations',
    person('UOPERATOR'),
    [true, false, true, true],
    /operator/,
  ],
  ['a member of an operator group is an operator', person('UDEV'), [true, false, true, true], /member of @devs/],
  [
    "a cluster's own operator is an operator there",
    person('UCLUSTEROP'),
    [true, false, true, true],
    /clusters\[prod\]\.roles\.operators/,
  ],
  [
    "a cluster's own approver is an approver there",
    person('UCLUSTERAPPROVER'),
    [true, true, true, true],
    /clusters\[prod\]\.roles\.approvers/,
  ],
  [
    'a reader listed by ID may read, not act',
    person('UREADER'),
    [false, false, false, true],
    /reader: listed in slack\.roles\.readers/,
  ],
  ['a member of a reader group may read', person('UAUDITOR'), [false, false, false, true], /member of @auditors/],
  [
    "a cluster's own reader may read there",
    person('UCLUSTERREADER'),
    [false, false, false, true],
    /clusters\[prod\]\.roles\.readers/,
  ],
  [
    'a guest never reads, even when listed as a reader',
    person('UREADER', { isRestricted: true }),
    [false, false, false, false],
    /guest/,
  ],
  [
    'a deactivated reader never reads',
    person('UAUDITOR', { deleted: true }),
    [false, false, false, false],
    /deactivated/,
  ],
  [
    'someone listed nowhere may do nothing, not even read',
    person('USTRANGER'),
    [false, false, false, false],
    /neither an operator nor an approver for cluster prod/,
  ],
  [
    'a deactivated approver never counts',
    person('UAPPROVER', { deleted: true }),
    [false, false, false, false],
    /deactivated/,
  ],
  ['a bot never counts, even when listed', person('UAPPROVER', { isBot: true }), [false, false, false, false], /bot/],
  [
    'a multi-channel guest never counts',
    person('USREMEMBER', { isRestricted: true }),
    [false, false, false, false],
    /guest/,
  ],
  [
    'a single-channel guest never counts',
    person('UOPERATOR', { isUltraRestricted: true }),
    [false, false, false, false],
    /guest/,
  ],
];

describe('who may do what', () => {
  it.each(table)('%s', (_name, user, [canRequest, canApproveDangerous, canApproveLowRisk, canRead], reason) => {
    const auth = authorise({ user, groupMembers, roles });
    expect(auth).toMatchObject({ userId: user.id, canRequest, canApproveDangerous, canApproveLowRisk, canRead });
    expect(auth.reasons.join(' ')).toMatch(reason);
  });

  it("does not grant one cluster's roles on another cluster", () => {
    const input: AuthoriseInput = {
      user: person('UCLUSTERAPPROVER'),
      groupMembers,
      roles: { global: roles.global, clusterName: 'staging' },
    };
    expect(authorise(input).canRequest).toBe(false);
  });

  it('treats an unresolved user group as having no members', () => {
    const auth = authorise({ user: person('USREMEMBER'), groupMembers: new Map(), roles });
    expect(auth.canRequest).toBe(false);
  });

  it('picks the right approval right for the danger of the operation', () => {
    const operator = authorise({ user: person('UOPERATOR'), groupMembers, roles });
    expect(canApprove(operator, true)).toBe(false);
    expect(canApprove(operator, false)).toBe(true);
  });

  it('lists every group handle the roles mention, once', () => {
    expect(
      referencedGroupHandles([roles.global, roles.cluster, { operators: ['@sre'], approvers: [] }, undefined]),
    ).toEqual(['@auditors', '@devs', '@sre']);
  });
});
