import type { App } from '@slack/bolt';
import { helpBlocks, helpText } from '../blocks/help';
import { errorBlocks } from '../blocks/error';
import { SLASH_COMMAND } from '../ids';
import { parseCommandText } from './subcommands';
import { UsageError } from '../../util/errors';
import type { Logger } from '../../util/logger';
import type { SubcommandTable } from './context';

/**
 * /certs: ack at once (Slack allows 3 s), then dispatch to the subcommand's handler.
 * Unknown subcommands get the help, ephemerally. Failures reach the user and the log, never a void.
 */
export function registerCertsCommand(
  app: App,
  handlers: SubcommandTable,
  baseLogger: Logger,
  clusters: Parameters<typeof helpBlocks>[0],
): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const { subcommand, args } = parseCommandText(command.text);
    const logger = baseLogger.child({ slackUserId: command.user_id, channel: command.channel_id, subcommand });
    const handler = handlers[subcommand];
    if (subcommand === 'help' || !handler) {
      await respond({
        response_type: 'ephemeral',
        text: helpText(clusters),
        blocks: helpBlocks(clusters, subcommand === 'help' ? undefined : subcommand),
      });
      return;
    }
    try {
      await handler({ command, args, client, respond, logger });
    } catch (err) {
      if (err instanceof UsageError) {
        await respond({ response_type: 'ephemeral', text: err.message, blocks: errorBlocks(err.message) });
        return;
      }
      logger.error({ err }, 'subcommand failed');
      const message = `Something went wrong while running \`${SLASH_COMMAND} ${subcommand}\`; nothing was changed. The error is in certops' log.`;
      await respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
    }
  });
}
