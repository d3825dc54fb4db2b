import type { ButtonAction } from '@slack/bolt';
import type { CertopsConfig } from '../../config/schema';
import type { UserDirectory } from '../../slack/directory/user-directory';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { encodeMetadata } from '../../approvals/modal-metadata';
import { requestFormRefusal } from '../../approvals/form-rights';
import { tellFailure, tellUser } from '../../approvals/tell-user';
import { accessModalView } from '../blocks/access-modal';

/** What Ask for access… needs: who may request, and the clusters whose levels the form offers. */
export interface OpenAccessDeps {
  config: Pick<CertopsConfig, 'clusters'>;
  directory: Pick<UserDirectory, 'authorise'>;
  logger: Logger;
}

/** Ask for access…: the access form, for those who may request (checked first: the trigger id lives 3 s). */
export function openAccessListener(deps: OpenAccessDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, client }) => {
    await ack();
    const channel = body.channel?.id;
    const logger = deps.logger.child({ slackUserId: body.user.id });
    const refusal = await requestFormRefusal(deps, body.user.id, 'ask for temporary access');
    if (refusal)
      return await tellUser(client, logger, { ...(channel ? { channel } : {}), user: body.user.id }, refusal, true);
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: accessModalView({
          clusters: deps.config.clusters,
          privateMetadata: encodeMetadata(channel ? { channel } : {}),
        }),
      });
    } catch (err) {
      await tellFailure(
        client,
        logger,
        { ...(channel ? { channel } : {}), user: body.user.id },
        err,
        'opening the access form',
      );
    }
  };
}
