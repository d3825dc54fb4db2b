import { validateBlocks } from '../../../src/sandbox/slack';
import { jobListBlocks } from '../../../src/approvals/blocks/job-list';
import { pendingRequest, T0 } from '../approvals/fixtures';

const job = (id: string, status: 'running' | 'failed', message?: string) => ({
  ...pendingRequest('aks-rotate-certs', {}, id),
  status,
  ...(message ? { outcome: { message, at: T0.toISOString() } } : {}),
});

describe('/certs jobs', () => {
  it('lists running and failed jobs with the cause of each failure', () => {
    const blocks = jobListBlocks([
      job('R1', 'running'),
      job('R2', 'failed', 'x509: certificate signed by unknown authority'),
    ]);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('1 running, 1 failed');
    expect(text).toContain('`R1`');
    expect(text).toContain('failed: `x509: certificate signed by unknown authority`');
  });

  it('says what the card says: the step of a running job, a retry with its cause, a queued one, and links each to its card', () => {
    const stepping = {
      ...job('R3', 'running'),
      job: { step: { name: 'pinning the cluster to the new key', done: 2, total: 4, unit: 'steps' as const } },
    };
    const retrying = {
      ...job('R4', 'running'),
      job: { retry: { attempt: 2, cause: 'fetch failed', nextAt: T0.toISOString() } },
    };
    const queued = { ...job('R5', 'running'), status: 'approved' as const };
    const blocks = jobListBlocks([stepping, retrying, queued], { R3: 'https://slack.example/archives/C1/p1' });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('1 queued, 2 running, 0 failed');
    expect(text).toContain('<https://slack.example/archives/C1/p1|`R3`>');
    expect(text).toContain('running step 3 of 4: `pinning the cluster to the new key`');
    expect(text).toContain('retrying (attempt 2 failed): `fetch failed`');
    expect(text).toContain('`R5` *aks-rotate-certs* on *prod* · :inbox_tray: queued');
  });

  it('says so when nothing runs or failed', () => {
    expect(JSON.stringify(jobListBlocks([]))).toContain('No running or failed jobs.');
  });
});
