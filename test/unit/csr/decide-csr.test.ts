import { ApiException, type V1CertificateSigningRequest } from '@kubernetes/client-node';
import { decideCsr, type CsrApprovalPort } from '../../../src/operations/decide-csr';

const pending = (): V1CertificateSigningRequest => ({
  metadata: { name: 'c', uid: 'u1', resourceVersion: '1' },
  spec: { request: '', signerName: 's', usages: [] },
  status: {},
});

/** An in-memory approval subresource that answers as the API server would, with scripted failures. */
function port(
  csr: V1CertificateSigningRequest | undefined,
  failures: number[] = [],
): CsrApprovalPort & { writes: V1CertificateSigningRequest[] } {
  const writes: V1CertificateSigningRequest[] = [];
  return {
    writes,
    read: () =>
      csr ? Promise.resolve(structuredClone(csr)) : Promise.reject(new ApiException(404, 'Not Found', '{}', {})),
    replaceApproval: (_name, body) => {
      const code = failures.shift();
      if (code) return Promise.reject(new ApiException(code, 'failed', '{}', {}));
      writes.push(body);
      return Promise.resolve(body);
    },
  };
}

const input = {
  name: 'c',
  uid: 'u1',
  decision: 'approve' as const,
  reason: 'CertopsApprove' as const,
  message: 'Approved in Slack by alice (U1) via certops',
};

describe('deciding a CSR through the approval subresource', () => {
  it('writes one Approved condition naming who decided', async () => {
    const api = port(pending());
    const outcome = await decideCsr(api, input);
    expect(outcome.ok).toBe(true);
    expect(api.writes).toHaveLength(1);
    expect(api.writes[0]?.status?.conditions).toEqual([
      { type: 'Approved', status: 'True', reason: 'CertopsApprove', message: input.message },
    ]);
  });

  it('re-reads and writes again after a 409 conflict', async () => {
    const api = port(pending(), [409, 409]);
    expect((await decideCsr(api, input)).ok).toBe(true);
    expect(api.writes).toHaveLength(1);
  });

  it('says the CSR is gone on 404, and never touches a re-created CSR of the same name', async () => {
    expect(await decideCsr(port(undefined), input)).toMatchObject({ ok: false, code: 'gone' });
    const other = { ...pending(), metadata: { name: 'c', uid: 'someone-else' } };
    const api = port(other);
    expect(await decideCsr(api, input)).toMatchObject({ ok: false, code: 'gone' });
    expect(api.writes).toEqual([]);
  });

  it('writes nothing when the CSR was already decided elsewhere, and says by whom', async () => {
    const decided = {
      ...pending(),
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'KubectlApprove',
            message: 'This CSR was approved by kubectl certificate approve.',
          },
        ],
      },
    };
    const api = port(decided);
    const outcome = await decideCsr(api, { ...input, decision: 'deny', reason: 'CertopsDeny' });
    expect(outcome).toMatchObject({
      ok: false,
      code: 'already-decided',
      existing: { type: 'Approved', reason: 'KubectlApprove' },
    });
    expect(outcome.ok ? '' : outcome.message).toContain('KubectlApprove');
    expect(api.writes).toEqual([]);
  });
});
