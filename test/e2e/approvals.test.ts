import { ActionIds, ApprovalBlockIds, CallbackIds } from '../../src/slack/ids';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  cardText,
  click,
  findCard,
  requestRotation,
  rotationJob,
  simClusterWithAks,
  waitForEphemeral,
} from '../helpers/approval-cards';

// The two-person rule through Slack, against the real binary over Socket Mode.
describe('approving a dangerous rotation in Slack', () => {
  let stack: E2eStack;
  const card = (reason: string) => findCard(stack, reason);

  beforeAll(async () => {
    stack = await startE2eStack({
      mode: 'socket',
      config: (sims) => ({ clusters: [simClusterWithAks(sims)] }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses the requester, a guest, an outsider and an operator, each told why, and leaves the card as it was', async () => {
    const { card: posted } = await requestRotation(stack, 'aks-rotate-certs', 'refusals-story');
    expect(cardText(posted)).toContain('0 of 2 approvals');
    const refusals: Array<[string, RegExp]> = [
      [USERS.requester.id, /You requested this aks-rotate-certs, so your vote cannot count/],
      [USERS.guest.id, /is a guest in this workspace/],
      [USERS.outsider.id, /neither an operator nor an approver/],
      [USERS.operator.id, /it needs an approver/],
    ];
    for (const [user, why] of refusals) {
      await click(stack, user, posted);
      await waitForEphemeral(stack, user, why);
    }
    expect(card('refusals-story')?.edits).toHaveLength(0);
    expect(cardText(card('refusals-story')!)).toContain('0 of 2 approvals');
  });

  it('queues the job once two approvers (one through @platform-leads) approved, and says so on the card and to the requester', async () => {
    const { card: posted, id } = await requestRotation(stack, 'aks-rotate-certs', 'two-approvers-story');
    await click(stack, USERS.approver1.id, posted);
    await stack.sims.slack.waitFor(() =>
      cardText(card('two-approvers-story')!).includes(`1 of 2 approvals: <@${USERS.approver1.id}>`),
    );
    expect(await rotationJob(stack, id)).toBeUndefined();

    await click(stack, USERS.approver2.id, posted);
    await stack.sims.slack.waitFor(() => cardText(card('two-approvers-story')!).includes('— queued'));
    expect(cardText(card('two-approvers-story')!)).toContain(
      `Approved by <@${USERS.approver1.id}> and <@${USERS.approver2.id}>`,
    );
    const job = await rotationJob(stack, id);
    expect(job).toMatchObject({ id, name: 'aks-rotate-certs', data: { requestId: id, cluster: 'sim' } });
    // The worker's progress message may reach the thread first; the notice to the requester is one of the replies.
    const notice = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .thread(OPS_CHANNEL, posted.ts)
        .find((m) => m.thread_ts === posted.ts && m.text.includes(`<@${USERS.requester.id}>`)),
    );
    expect(notice.text).toContain('approved by');
  });

  it('counts a click delivered twice at the same time as one vote', async () => {
    const { card: posted, id } = await requestRotation(stack, 'aks-rotate-certs', 'double-click-story');
    await Promise.all([click(stack, USERS.approver1.id, posted), click(stack, USERS.approver1.id, posted)]);
    await waitForEphemeral(stack, USERS.approver1.id, /already recorded \(1 of 2\)/);
    await stack.sims.slack.waitFor(() => cardText(card('double-click-story')!).includes('1 of 2 approvals'));
    expect(cardText(card('double-click-story')!)).not.toContain('Approved by');
    expect(await rotationJob(stack, id)).toBeUndefined();
  });

  it('rejects with a reason from the Reject form, and nothing is queued', async () => {
    const { card: posted, id } = await requestRotation(stack, 'aks-rotate-certs', 'reject-story');
    await click(stack, USERS.approver2.id, posted, ActionIds.rejectRequest);
    const modal = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .find((v) => v.userId === USERS.approver2.id && !v.closed && v.view.callback_id === CallbackIds.rejectModal),
    );
    await stack.driver.viewSubmission({
      userId: USERS.approver2.id,
      viewId: modal.id,
      values: {
        [ApprovalBlockIds.rejectReason]: {
          [ApprovalBlockIds.rejectReasonInput]: { type: 'plain_text_input', value: 'change freeze until Monday' },
        },
      },
    });
    await stack.sims.slack.waitFor(() => cardText(card('reject-story')!).includes('Rejected by'));
    expect(cardText(card('reject-story')!)).toContain(
      `Rejected by <@${USERS.approver2.id}>*: \`change freeze until Monday\``,
    );
    expect(await rotationJob(stack, id)).toBeUndefined();
    // A late click from a client still showing the old buttons is refused: the request is decided.
    await click(stack, USERS.approver1.id, posted);
    await waitForEphemeral(
      stack,
      USERS.approver1.id,
      new RegExp(`already rejected by <@${USERS.approver2.id}>: \`change freeze until Monday\``),
    );
  });

  it('keeps the whole story in /certs audit: request, refused votes, votes, approval and rejection', async () => {
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 100 sim' });
    const audit = await waitForEphemeral(stack, USERS.approver1.id, /audit entries for sim/);
    for (const piece of [
      '*request*',
      '*vote-refused*',
      'self-approval',
      'not-authorised',
      '*vote*',
      '*approved*',
      '*rejection*',
      'change freeze until Monday',
      'by <@U0REQUESTER>',
      'by <@U0APPROVER1>',
      'by <@U0APPROVER2>',
    ]) {
      expect(audit).toContain(piece);
    }
  });

  it('does not show the audit trail to an outsider', async () => {
    await stack.driver.slashCommand({ userId: USERS.outsider.id, channelId: OPS_CHANNEL, text: 'audit' });
    await waitForEphemeral(stack, USERS.outsider.id, /Only operators and approvers may read the audit trail/);
  });
});
