import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../../core/approvals';
import { lineSections, truncate } from './approval-text';
import { code, name, plain } from '../escape';

const MAX_LISTED = 40;

function jobLine(request: ApprovalRequest): string {
  const state = request.status === 'failed' ? `:x: failed${request.outcome ? `: ${plain(request.outcome.message, 300)}` : ''}` : ':gear: running';
  return `${code(request.id)} *${name(request.operation)}* on *${name(request.cluster)}* · ${state}`;
}

/** `/certs jobs`: approved requests whose job runs now or failed (finished ones stay readable for a while). */
export function jobListBlocks(jobs: readonly ApprovalRequest[]): KnownBlock[] {
  if (jobs.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: 'No running or failed jobs.' } }];
  const running = jobs.filter((j) => j.status === 'running').length;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${running} running, ${jobs.length - running} failed*` } }];
  blocks.push(...lineSections(jobs.slice(0, MAX_LISTED).map(jobLine)));
  if (jobs.length > MAX_LISTED) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${jobs.length - MAX_LISTED} more.` }] });
  return blocks;
}

export function jobListText(jobs: readonly ApprovalRequest[]): string {
  return jobs.length === 0 ? 'No running or failed jobs.' : truncate(jobs.map(jobLine).join('\n'), 3000);
}
