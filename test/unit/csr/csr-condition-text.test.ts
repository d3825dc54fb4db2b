import { alreadyDecidedText, conditionText } from '../../../src/csr/blocks/csr-format';

describe('a CSR condition on the card', () => {
  it.each([
    [
      'one approver in Slack',
      { reason: 'CertopsApprove', message: 'Approved in Slack by oscar (U0DEMOOSCAR) via certops' },
      'Approved in Slack by <@U0DEMOOSCAR>',
    ],
    [
      'two approvers under the two-person rule',
      {
        reason: 'CertopsApprove',
        message: 'Approved in Slack by alice (U0ALICE) and bob (U0BOB) via certops (two-person rule)',
      },
      'Approved in Slack by <@U0ALICE> and <@U0BOB> under the two-person rule',
    ],
    [
      'a denial with its reason',
      { reason: 'CertopsDeny', message: 'Denied in Slack by bob (U0BOB) via certops: not our node' },
      'Denied in Slack by <@U0BOB>: `not our node`',
    ],
    [
      'an automatic approval',
      {
        reason: 'CertopsAutoApprove',
        message: 'Approved automatically by certops (csr.autoApprove: kubelet-serving; every policy check passed)',
      },
      'Approved automatically by certops: every policy check passed (`csr.autoApprove`)',
    ],
    [
      'an automatic denial',
      {
        reason: 'CertopsAutoDeny',
        message:
          'Denied automatically by certops (csr.autoDeny: invalid): bad-signature: the signature does not verify',
      },
      'Denied automatically by certops because the request is invalid (`csr.autoDeny`): `bad-signature: the signature does not verify`',
    ],
    [
      'kubectl',
      { reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' },
      'Reason `KubectlApprove`: `This CSR was approved by kubectl certificate approve.`',
    ],
    [
      'certops reason with a message it did not write',
      { reason: 'CertopsApprove', message: 'Approved by <!channel>' },
      'Reason `CertopsApprove`: `Approved by &lt;!channel&gt;`',
    ],
    [
      'a name with markup inside the Slack form',
      { reason: 'CertopsApprove', message: 'Approved in Slack by *boss* via certops' },
      'Approved in Slack by `*boss*`',
    ],
    ['nothing recorded', { reason: '', message: '' }, 'No reason was recorded'],
  ])('%s reads as a sentence', (_what, condition, expected) => {
    expect(conditionText(condition)).toBe(expected);
  });

  it('never shows the Slack ids kept in the message for the API', () => {
    expect(
      conditionText({ reason: 'CertopsApprove', message: 'Approved in Slack by oscar (U0DEMOOSCAR) via certops' }),
    ).not.toContain('(U0DEMOOSCAR)');
  });

  it.each([
    [
      'approved in Slack',
      'approved',
      { type: 'Approved', reason: 'CertopsApprove', message: 'Approved in Slack by oscar (U0DEMOOSCAR) via certops' },
      'CSR csr-1 is already approved. Approved in Slack by <@U0DEMOOSCAR>. Nothing was changed.',
    ],
    [
      'denied with kubectl',
      'denied',
      { type: 'Denied', reason: 'KubectlDeny', message: 'no' },
      'CSR csr-1 is already denied. Reason `KubectlDeny`: `no`. Nothing was changed.',
    ],
    ['gone without a condition', 'gone', undefined, 'CSR csr-1 is already gone. Nothing was changed.'],
  ] as const)(
    'a late decision on a CSR %s is answered in sentences, without Slack ids',
    (_what, state, decision, expected) => {
      const text = alreadyDecidedText({ name: 'csr-1', state, decision });
      expect(text).toBe(expected);
      expect(text).not.toMatch(/\(U0[A-Z0-9]+\)/);
    },
  );
});
