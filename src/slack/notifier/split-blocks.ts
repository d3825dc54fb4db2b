import type { KnownBlock } from '@slack/types';

/** Slack's limit of blocks per message. */
export const MAX_BLOCKS_PER_MESSAGE = 50;

/** The message's own blocks, then the rest in chunks for thread replies. */
export function splitBlocks(
  blocks: KnownBlock[],
  max = MAX_BLOCKS_PER_MESSAGE,
): { head: KnownBlock[]; replies: KnownBlock[][] } {
  const replies: KnownBlock[][] = [];
  for (let i = max; i < blocks.length; i += max) replies.push(blocks.slice(i, i + max));
  return { head: blocks.slice(0, max), replies };
}
