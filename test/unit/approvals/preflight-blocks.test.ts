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
    { name: 'all passing', checks: [pass], heading: 'all passed', lines: [`✅ ${pass.message}`], problems: false },
    {
      name: 'one failing',
      checks: [pass, fail],
      heading: 'Pre-flight found problems: 1 check failed.',
      lines: [`✅ ${pass.message}`, `❌ ${fail.message}`],
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
      lines: [`⚠️ ${warn.message}`],
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

  it('shows check messages as plain text, so markup from Azure answers is inert', () => {
    const blocks = approvalCardBlocks({
      ...pendingRequest('kms-disable'),
      preflight: {
        ok: true,
        at: AT,
        checks: [{ code: 'x', status: 'unknown', message: 'read failed <!channel> *bold*' }],
      },
    });
    const plainSection = blocks.find(
      (b) => b.type === 'section' && b.text?.type === 'plain_text' && b.text.text.includes('<!channel>'),
    );
    expect(plainSection).toBeDefined();
  });

  it('shows nothing for a request without pre-flight checks', () => {
    expect(JSON.stringify(approvalCardBlocks(pendingRequest('kms-disable')))).not.toContain('Pre-flight');
  });
});
