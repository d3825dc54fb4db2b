import type { ButtonAction } from '@slack/bolt';
import type { UserDirectory } from '../../slack/directory/user-directory';
import type { ActionArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { decodeCsrButton, UNKNOWN_CSR_BUTTON } from '../blocks/csr-button-value';
import type { CsrDecisions } from '../csr-decisions';
import { tellFailure, tellUser } from '../tell-user';

/** What Approve on a CSR card needs: who the clicker is now, and the decisions. */
export interface ApproveCsrDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  decisions: Pick<CsrDecisions, 'approve'>;
  logger: Logger;
}

/** Approve on a CSR card: ack, authorise now, re-read the CSR; low risk is decided at once, high risk collects two approvers. */
export function approveCsrListener(deps: ApproveCsrDeps): (args: ActionArgs<ButtonAction>) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const where = {
      channel: body.channel?.id ?? user,
      user,
      ...(body.message?.thread_ts ? { threadTs: body.message.thread_ts as string } : {}),
    };
    const target = decodeCsrButton(action.value);
    const logger = deps.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target) return await tellUser(client, logger, where, UNKNOWN_CSR_BUTTON, true);
    try {
      // Fresh from Slack: a high-risk approval is a vote toward a dangerous action.
      const { user: facts, auth } = await deps.directory.authorise(user, target.cluster, { fresh: true });
      const result = await deps.decisions.approve(target, { id: user, name: facts.name ?? user }, auth);
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'approving the CSR');
    }
  };
}
