import type { KnownBlock } from '@slack/types';
import { code } from '../escape';
import { SLASH_COMMAND } from '../ids';
import { SUBCOMMANDS } from '../commands/subcommands';

/** The /certs help card; with `unknown`, it first says which subcommand was not understood. */
export function helpBlocks(unknown?: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (unknown !== undefined) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: ${code(`${SLASH_COMMAND} ${unknown}`, 48)} is not a certops command. These are:` },
    });
  }
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'certops: certificate operations' } });
  const lines = SUBCOMMANDS.map((s) => `*\`${SLASH_COMMAND} ${s.usage}\`*\n${s.summary}, e.g. \`${s.example}\``);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: 'Dangerous actions need two approvers other than the requester. Everything is audited.' }],
  });
  return blocks;
}

export function helpText(): string {
  return SUBCOMMANDS.map((s) => `${SLASH_COMMAND} ${s.usage} — ${s.summary}`).join('\n');
}
