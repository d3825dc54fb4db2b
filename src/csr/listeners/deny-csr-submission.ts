import { reasonTooLong } from '../../core/approvals';
import type { UserDirectory } from '../../slack/directory/user-directory';
import { CsrBlockIds } from '../../slack/ids';
import type { ViewArgs } from '../../slack/listener-args';
import type { Logger } from '../../util/logger';
import { parseDenyModalMetadata } from '../blocks/csr-deny-modal';
import type { CsrDecisions } from '../csr-decisions';
import { tellFailure, tellUser } from '../tell-user';

/** What the deny form's submission needs: who submitted it now, and the decisions. */
export interface DenyCsrSubmissionDeps {
  directory: Pick<UserDirectory, 'authorise'>;
  decisions: Pick<CsrDecisions, 'deny'>;
  logger: Logger;
}

/** The deny form submitted: the reason is optional; the person is authorised again now, on the server. */
export function denyCsrSubmissionListener(deps: DenyCsrSubmissionDeps): (args: ViewArgs) => Promise<void> {
  return async ({ ack, body, view, client }) => {
    const reason = view.state.values[CsrBlockIds.denyReason]?.[CsrBlockIds.denyReasonInput]?.value?.trim() ?? '';
    const tooLong = reasonTooLong(reason);
    if (tooLong) {
      await ack({ response_action: 'errors', errors: { [CsrBlockIds.denyReason]: tooLong } });
      return;
    }
    await ack();
    const meta = parseDenyModalMetadata(view.private_metadata);
    const target = meta && { cluster: meta.cluster, name: meta.name, uid: meta.uid };
    const user = body.user.id;
    const where = { channel: meta?.channel ?? user, user };
    const logger = deps.logger.child({ slackUserId: user, cluster: target?.cluster, csr: target?.name });
    if (!target)
      return await tellUser(
        client,
        logger,
        where,
        'This form lost track of its CSR; deny it again from the card.',
        true,
      );
    try {
      const { user: facts, auth } = await deps.directory.authorise(user, target.cluster);
      const result = await deps.decisions.deny(target, { id: user, name: facts.name ?? user }, auth, reason);
      await tellUser(client, logger, where, result.message, !result.ok);
    } catch (err) {
      await tellFailure(client, logger, where, err, 'denying the CSR');
    }
  };
}
