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
