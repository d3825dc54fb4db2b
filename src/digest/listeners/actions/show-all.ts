import type { ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { UserDirectory } from '../../../slack/directory/user-directory';
import { escapeEntities } from '../../../slack/escape';
import type { ActionArgs } from '../../../slack/listener-args';
import { tellUser } from '../../../slack/tell-user';
import { digestSubscriptionSchema } from '../../../state/subscriptions';
import type { Logger } from '../../../util/logger';
import type { DigestService } from '../../digest-service';

const showAllValue = z.object({ scope: digestSubscriptionSchema.shape.scope });

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** What Show all needs: who may read the scope, and the digest service that posts the list. */
export interface ShowAllDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  digest: Pick<DigestService, 'showAll'>;
  logger: Logger;
}

/** Show all: the full certificate list in the digest's thread (and as CSV when long), for the scope's readers, operators and approvers. */
export function showAllListener(deps: ShowAllDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id;
    const threadTs = body.message?.thread_ts ?? body.message?.ts;
    const logger = deps.logger.child({ slackUserId: body.user.id, channel, action: 'show-all' });
    const tell = (text: string, problem = true) =>
      tellUser(client, logger, { channel, user: body.user.id }, text, problem);
    try {
      const parsed = showAllValue.safeParse(parseJson(action.value));
      if (!parsed.success || !channel || !threadTs)
        return await tell('This button does not carry a digest any more; run `/certs digest now` for a fresh one.');
      const scope = parsed.data.scope;
      const { auth } = await deps.directory.authorise(
        body.user.id,
        scope.kind === 'cluster' ? scope.cluster : undefined,
      );
      if (!auth.canRead)
        return await tell(
          `Sorry, Show all lists the certificate inventory, which only its readers, operators and approvers see: ${escapeEntities(auth.reasons.join('; '))}.`,
        );
      await deps.digest.showAll(channel, threadTs, scope);
    } catch (err) {
      logger.error({ err }, 'show all failed');
      await tell(
        "Could not list every certificate; nothing was posted. The error is in certops' log; try again in a minute.",
      );
    }
  };
}
