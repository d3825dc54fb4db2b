import { validateBlocks } from '../../../src/sandbox/slack';
import { csrAutoDeniedContent } from '../../../src/csr/blocks/csr-auto-denied';
import { summary } from './summary-fixture';

const invalid = (name: string, code: string) =>
  summary({
    uid: name,
    name,
    risk: 'invalid',
    state: 'denied',
    findings: [{ code, severity: 'critical', message: 'does not verify' }],
  });

describe('one line for the CSRs denied automatically', () => {
  it('names each CSR with the check it failed, and the reason written on it', () => {
    const { text, blocks } = csrAutoDeniedContent('prod', [
      invalid('forged-1', 'signature-invalid'),
      invalid('junk<2>', 'unparseable'),
    ]);
    expect(text).toContain('2 invalid CSRs on prod denied automatically (CertopsAutoDeny; csr.autoDeny)');
    expect(text).toContain('`forged-1` (signature-invalid)');
    expect(text).toContain('`junk&lt;2&gt;` (unparseable)');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('stays within Slack text limits for a thousand CSRs', () => {
    const many = Array.from({ length: 1000 }, (_, i) => invalid(`forged-${i}`, 'signature-invalid'));
    const { blocks } = csrAutoDeniedContent('prod', many);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});
