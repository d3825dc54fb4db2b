import type { KnownBlock } from '@slack/types';

/** An ephemeral answer to bad input: what was wrong and how to do it right. */
export function errorBlocks(message: string): KnownBlock[] {
  return [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${message.slice(0, 2900)}` } }];
}
