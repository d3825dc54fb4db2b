import type { UserDirectory } from '../directory/user-directory';
import { errorBlocks } from '../blocks/error';
import { escapeEntities, name } from '../escape';
import type { SubcommandContext } from './context';

/**
 * The inventory (certificate and secret names, CSRs, requests) is for readers, operators and approvers of the
 * cluster, or of every cluster when none is named. Everyone else is told so, politely; guests and deactivated
 * accounts never read.
 */
/** What mayRead needs: who may read which cluster. */
export interface ReadRightsDeps {
  directory: Pick<UserDirectory, 'authorise'>;
}

export async function mayRead(
  bot: ReadRightsDeps,
  sc: SubcommandContext,
  cluster: string | undefined,
): Promise<boolean> {
  const { auth } = await bot.directory.authorise(sc.command.user_id, cluster);
  if (auth.canRead) return true;
  sc.logger.info({ cluster, reasons: auth.reasons }, 'inventory read refused');
  const scope = cluster ? `of ${name(cluster)}` : 'of every cluster (naming one cluster may be enough)';
  const message =
    `Sorry, this shows the certificate inventory ${scope}, which only its readers, operators and approvers see. ` +
    `${escapeEntities(auth.reasons.join('; '))}. An admin can add you (or a user group you are in) to \`roles.readers\` in the certops configuration.`;
  await sc.respond({ response_type: 'ephemeral', text: message, blocks: errorBlocks(message) });
  return false;
}
