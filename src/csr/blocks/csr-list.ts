import type { KnownBlock } from '@slack/types';
import type { CsrSummary } from '../csr-summary';
import { code, name } from '../../slack/escape';
import { clip, csrLine } from './csr-format';

const LINES_PER_SECTION = 20;
const MAX_SECTIONS = 45;

/** The answer to `/certs csr [cluster]`: pending CSRs per cluster, each with its verdict. */
export function csrListBlocks(byCluster: Array<{ cluster: string; csrs: CsrSummary[]; error?: string }>): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (const { cluster, csrs, error } of byCluster) {
    if (blocks.length >= MAX_SECTIONS) break;
    const heading = error
      ? `*${name(cluster)}*: could not list CSRs (${code(error, 300)})`
      : `*${name(cluster)}*: ${csrs.length === 0 ? 'no pending CSRs' : `${csrs.length} pending`}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(heading) } });
    for (let i = 0; i < csrs.length && blocks.length < MAX_SECTIONS; i += LINES_PER_SECTION) {
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            csrs
              .slice(i, i + LINES_PER_SECTION)
              .map(csrLine)
              .join('\n'),
          ),
        },
      });
    }
  }
  return blocks;
}
