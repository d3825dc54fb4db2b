import { parseRejectMetadata } from '../../../src/approvals/modal-metadata';
import { isRequestId, newRequestId } from '../../../src/approvals/request-id';
import { checkRotateForm, parseRotateArgs } from '../../../src/approvals/rotate-input';
import { MAX_REASON_LENGTH, openRequest, reject } from '../../../src/core/approvals';
import { rejectModalView } from '../../../src/approvals/blocks/approval-reject-modal';
import { decodeApproveAll } from '../../../src/csr/blocks/csr-burst';
import { decodeCsrButton, encodeCsrButton } from '../../../src/csr/blocks/csr-button-value';
import { csrDenyModal } from '../../../src/csr/blocks/csr-deny-modal';
import { rotateModalView } from '../../../src/approvals/blocks/rotate-modal';
import { T0, aksCluster, alice, approverAuth, bob, pendingRequest } from './fixtures';

const long = 'x'.repeat(MAX_REASON_LENGTH + 1);
const megabyte = 'R'.repeat(1 << 20);

describe('reasons', () => {
  it(`are at most ${MAX_REASON_LENGTH} characters, as every form says and the server enforces`, () => {
    expect(
      openRequest(
        {
          id: 'R1',
          operation: 'aks-rotate-certs',
          cluster: aksCluster,
          params: {},
          reason: long,
          requester: alice,
          now: T0,
        },
        approverAuth(alice),
      ),
    ).toMatchObject({ ok: false, code: 'invalid-params' });
    expect(reject(pendingRequest(), bob, approverAuth(bob), long, T0)).toMatchObject({
      ok: false,
      message: expect.stringContaining(`keep it to ${MAX_REASON_LENGTH}`),
    });
    expect(
      openRequest(
        {
          id: 'R1',
          operation: 'aks-rotate-certs',
          cluster: aksCluster,
          params: {},
          reason: 'x'.repeat(MAX_REASON_LENGTH),
          requester: alice,
          now: T0,
        },
        approverAuth(alice),
      ).ok,
    ).toBe(true);
    expect(
      checkRotateForm({ cluster: 'prod', operation: 'aks-rotate-certs', reason: long, confirm: 'prod' }, [aksCluster]),
    ).toMatchObject({ ok: false, errors: { reason: expect.stringContaining('keep it to') } });
    expect(parseRotateArgs(['aks-rotate-certs', 'prod', long], [aksCluster])).toMatchObject({ ok: false });
    const forms = [
      rotateModalView({ clusters: [aksCluster] }),
      rejectModalView({ id: 'R1' }, '{}'),
      csrDenyModal({ cluster: 'prod', name: 'n', uid: 'u' }),
    ];
    const limits = forms.map((v) => JSON.stringify(v.blocks).match(/"multiline":true,"max_length":(\d+)/)?.[1]);
    expect(limits).toEqual([String(MAX_REASON_LENGTH), String(MAX_REASON_LENGTH), String(MAX_REASON_LENGTH)]);
  });
});

describe('ids from Slack payloads', () => {
  it.each([
    ['a request id certops made', newRequestId(), true],
    ['lower case (typed)', newRequestId().toLowerCase(), false],
    ['a megabyte', megabyte, false],
    ['a key pattern', 'R*', false],
    ['empty', '', false],
    ['missing', undefined, false],
  ])('request id: %s', (_case, id, valid) => {
    expect(isRequestId(id)).toBe(valid);
  });

  it('refuses oversized or misshapen button values and modal metadata before any lookup', () => {
    expect(
      decodeCsrButton(encodeCsrButton({ cluster: 'prod', name: 'csr-1', uid: '0b5c1f0e-3c2a-4a8e-9f00-1d2e3f4a5b6c' })),
    ).toBeDefined();
    expect(decodeCsrButton(JSON.stringify({ c: 'prod', n: megabyte, u: 'u1' }))).toBeUndefined();
    expect(decodeCsrButton(JSON.stringify({ c: '<!channel>', n: 'csr-1', u: 'u1' }))).toBeUndefined();
    expect(decodeCsrButton(JSON.stringify({ c: 'prod', n: 'csr-1', u: 'u1:*' }))).toBeUndefined();
    expect(decodeApproveAll(JSON.stringify({ c: 'prod', g: megabyte }))).toBeUndefined();
    expect(decodeApproveAll(JSON.stringify({ c: 'prod', g: 'c0ffee-1' }))).toEqual({
      cluster: 'prod',
      groupId: 'c0ffee-1',
    });
    expect(parseRejectMetadata(JSON.stringify({ requestId: megabyte }))).toBeUndefined();
    expect(parseRejectMetadata(JSON.stringify({ requestId: 'R7K2M9QX4A', channel: 'C0OPS' }))).toEqual({
      requestId: 'R7K2M9QX4A',
      channel: 'C0OPS',
    });
  });
});
