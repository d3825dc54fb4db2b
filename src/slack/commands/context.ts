import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../util/logger';

/** What a /certs subcommand handler receives: the parsed command, and ways to answer. */
export interface SubcommandContext {
  command: SlashCommand;
  args: string[];
  client: WebClient;
  respond: RespondFn;
  logger: Logger;
}

export type SubcommandHandler = (ctx: SubcommandContext) => Promise<void>;
export type SubcommandTable = Record<string, SubcommandHandler>;
