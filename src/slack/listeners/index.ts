import type { App } from '@slack/bolt';
import type { Logger } from '../../util/logger';
import * as commands from './commands';
import type { SubcommandTable } from './commands/context';

export interface ListenerDeps {
  logger: Logger;
  subcommands: SubcommandTable;
}

/** One place that wires every Slack surface; each folder registers its own handlers. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  commands.register(app, deps.subcommands, deps.logger);
}
