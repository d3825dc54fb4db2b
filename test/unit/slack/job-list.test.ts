import { validateBlocks } from '../../../src/sandbox/slack';
import { jobListBlocks } from '../../../src/slack/blocks/job-list';
import { pendingRequest, T0 } from '../approvals/fixtures';

const job = (id: string, status: 'running' | 'failed', message?: string) => ({
  ...pendingRequest('aks-rotate-certs', {}, id),
  status,
  ...(message ? { outcome: { message, at: T0.toISOString() } } : {}),
});

describe('/certs jobs', () => {
  it('lists running and failed jobs with the cause of each failure', () => {
    const blocks = jobListBlocks([job('R1', 'running'), job('R2', 'failed', 'x509: certificate signed by unknown authority')]);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('1 running, 1 failed');
    expect(text).toContain('`R1`');
    expect(text).toContain('failed: x509: certificate signed by unknown authority');
  });

  it('says so when nothing runs or failed', () => {
    expect(JSON.stringify(jobListBlocks([]))).toContain('No running or failed jobs.');
  });
});
