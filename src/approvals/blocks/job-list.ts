import type { KnownBlock } from '@slack/types';
import type { ApprovalRequest } from '../../core/approvals';
import { lineSections, truncate } from './approval-text';
import { code, name } from '../../slack/escape';
import { jobStateWord } from './job-state';

const MAX_LISTED = 40;

/** Permalinks of the request cards, by request id (a job without one is listed without a link). */
export type CardPermalinks = Readonly<Record<string, string | undefined>>;

function jobLine(request: ApprovalRequest, links: CardPermalinks): string {
  const icon =
    request.status === 'failed'
      ? ':x:'
      : request.job?.retry
        ? ':repeat:'
        : request.status === 'approved'
          ? ':inbox_tray:'
          : ':gear:';
  const cause =
    request.status === 'failed' && request.outcome
      ? `: ${code(request.outcome.message, 300)}`
      : request.job?.retry
        ? `: ${code(request.job.retry.cause, 300)}`
        : '';
  const link = links[request.id];
  const id = link ? `<${link}|${code(request.id, 40)}>` : code(request.id, 40);
  return `${id} *${name(request.operation)}* on *${name(request.cluster)}* · ${icon} ${jobStateWord(request)}${cause}`;
}

/** `/certs jobs`: queued, running and failed jobs in the words of their cards, each linked to its card. */
export function jobListBlocks(jobs: readonly ApprovalRequest[], links: CardPermalinks = {}): KnownBlock[] {
  if (jobs.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: 'No running or failed jobs.' } }];
  const count = (s: ApprovalRequest['status']) => jobs.filter((j) => j.status === s).length;
  const queued = count('approved');
  const head = `${queued > 0 ? `${queued} queued, ` : ''}${count('running')} running, ${count('failed')} failed`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${head}*` } }];
  blocks.push(...lineSections(jobs.slice(0, MAX_LISTED).map((j) => jobLine(j, links))));
  if (jobs.length > MAX_LISTED)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${jobs.length - MAX_LISTED} more.` }] });
  return blocks;
}

export function jobListText(jobs: readonly ApprovalRequest[], links: CardPermalinks = {}): string {
  return jobs.length === 0
    ? 'No running or failed jobs.'
    : truncate(jobs.map((j) => jobLine(j, links)).join('\n'), 3000);
}

/** The jobs a permalink is worth asking Slack for (those listed). */
export function listedJobs(jobs: readonly ApprovalRequest[]): readonly ApprovalRequest[] {
  return jobs.slice(0, MAX_LISTED);
}
