import type { RequestPreflight } from '../../../src/core/approvals';
import { approvalCardBlocks } from '../../../src/approvals/blocks/approval-card';
import { validateBlocks } from '../../../src/sandbox/slack';
import { pendingRequest } from '../approvals/fixtures';

type Check = RequestPreflight['checks'][number];
const AT = '2026-01-01T00:00:00.000Z';
const pass: Check = {
  code: 'key-exists',
  status: 'pass',
  message: 'Key https://kv1.vault.azure.net/keys/etcd/v1 exists.',
};
const fail: Check = {
  code: 'key-permissions',
  status: 'fail',
  message: 'the cluster identity 0000 lacks encrypt and decrypt on the key',
};
const unknown: Check = {
  code: 'secret-count',
  status: 'unknown',
  message: 'The secrets could not be counted: forbidden',
};
const warn: Check = {
  code: 'kms-v1',
  status: 'warn',
  message: 'Kubernetes 1.26.3 runs KMS v1: disable KMS, re-encrypt, upgrade, enable again.',
};

function cardOf(checks: Check[]): string {
  const preflight = { ok: checks.every((c) => c.status !== 'fail'), at: AT, checks };
  const blocks = approvalCardBlocks({
    ...pendingRequest('kms-enable', { keyId: 'https://kv1.vault.azure.net/keys/etcd/v1' }),
    preflight,
  });
  expect(validateBlocks(blocks, 'message')).toEqual([]);
  return JSON.stringify(blocks);
}

describe('pre-flight checks on the request card', () => {
  it.each([
    {
      name: 'all passing',
      checks: [pass],
      heading: 'all passed',
      lines: ['✅ Key `https://kv1.vault.azure.net/keys/etcd/v1` exists.'],
      problems: false,
    },
    {
      name: 'one failing',
      checks: [pass, fail],
      heading: 'Pre-flight found problems: 1 check failed.',
      lines: ['✅ Key `https://kv1.vault.azure.net/keys/etcd/v1` exists.', `❌ ${fail.message}`],
      problems: true,
    },
    {
      name: 'two failing',
      checks: [fail, { ...fail, code: 'key-enabled' }],
      heading: 'Pre-flight found problems: 2 checks failed.',
      lines: [`❌ ${fail.message}`],
      problems: true,
    },
    {
      name: 'unknown, none failing',
      checks: [pass, unknown],
      heading: 'some could not be read',
      lines: [`❔ ${unknown.message}`],
      problems: false,
    },
    {
      name: 'a warning (KMS v1 runbook)',
      checks: [warn],
      heading: 'all passed',
      lines: ['⚠️ Kubernetes 1.26.3 runs KMS v1: disable KMS, re-encrypt, upgrade, enable again.'],
      problems: false,
    },
  ])('$name', ({ checks, heading, lines, problems }) => {
    const card = cardOf(checks);
    expect(card).toContain(heading);
    for (const line of lines) expect(card).toContain(JSON.stringify(line).slice(1, -1));
    expect(card.includes('Pre-flight found problems')).toBe(problems);
    // Approval stays possible: failures inform the vote, they do not remove the buttons.
    expect(card).toContain('"text":"Approve"');
  });

  // Messages carry Azure's answers: mrkdwn now (so a time can be local), with every word that could act as markup
  // shown as code; the time the check names is drawn in the reader's zone, the ISO string never shown.
  it.each<[string, Check, string]>([
    [
      'markup from an Azure answer, inert',
      { code: 'x', status: 'unknown', message: 'read failed <!channel> *bold* :fire: _it_' },
      '❔ read failed `&lt;!channel&gt;` `*bold*` `:fire:` `_it_`',
    ],
    [
      'a key expiring soon, in local time',
      {
        code: 'key-not-expired',
        status: 'warn',
        message: `The key version expires on ${AT}: plan the next rotation now.`,
        at: AT,
      },
      '⚠️ The key version expires on <!date^1767225600^{date_short_pretty} {time}|2026-01-01 00:00 UTC>: plan the next rotation now.',
    ],
    [
      'an expired key, in local time',
      {
        code: 'key-not-expired',
        status: 'fail',
        message: `The key version expired on ${AT} (KeyExpired): extend its expiry or rotate the key.`,
        at: AT,
      },
      '❌ The key version expired on <!date^1767225600^{date_short_pretty} {time}|2026-01-01 00:00 UTC> (KeyExpired): extend',
    ],
    [
      'a stored check from before times were structured, as it came',
      { code: 'key-not-expired', status: 'pass', message: `The key version is valid until ${AT}.` },
      `✅ The key version is valid until \`${AT}.\``,
    ],
  ])('%s', (_what, check, line) => {
    const blocks = approvalCardBlocks({
      ...pendingRequest('kms-disable'),
      preflight: { ok: check.status !== 'fail', at: AT, checks: [check] },
    });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const section = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(line.slice(0, 2)));
    expect(section?.type === 'section' && section.text?.type).toBe('mrkdwn');
    expect(section?.type === 'section' && section.text?.text).toContain(line);
    expect(JSON.stringify(blocks)).not.toMatch(check.at ? /2026-01-01T00/ : /^$/);
  });

  it('shows nothing for a request without pre-flight checks', () => {
    expect(JSON.stringify(approvalCardBlocks(pendingRequest('kms-disable')))).not.toContain('Pre-flight');
  });
});
