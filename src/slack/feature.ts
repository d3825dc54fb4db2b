import type { App } from '@slack/bolt';
import type { SubcommandTable } from './commands/context';

/**
 * What a feature (csr, approvals, access, expiry, digest) hands the composition root: the /certs subcommands it
 * answers and the buttons, forms and events it listens to. service/slack-surface.ts merges them; slack/ itself
 * never imports a feature.
 */
export interface SlackFeature {
  /** `/certs <word>` handlers this feature answers. */
  subcommands?: SubcommandTable;
  /** Adds this feature's action, view and event listeners to the app. */
  register?(app: App): void;
}

/** One /certs table from every feature's words; two features answering the same word is a wiring mistake, not a choice. */
export function mergeSubcommands(features: readonly SlackFeature[]): SubcommandTable {
  const table: SubcommandTable = {};
  for (const feature of features)
    for (const [word, handler] of Object.entries(feature.subcommands ?? {})) {
      if (word in table) throw new Error(`two features answer /certs ${word}`);
      table[word] = handler;
    }
  return table;
}
