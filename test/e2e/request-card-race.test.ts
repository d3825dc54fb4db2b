import { sandboxEnvironment } from '../../src/sandbox/harness/simulators';
import { startCertops, type CertopsProcess } from '../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { ActionIds } from '../../src/slack/ids';
import { cardRequestId, cardText, findCard, simClusterWithAks } from '../helpers/approval-cards';

// The card's id is recorded only once Slack answers chat.postMessage: a click can come first. Holding that answer
// in the Slack simulator puts the vote exactly in that window, in one bot process and across two.
// Generous: two bot processes share two cores with the rest of the suite.
const WAIT = { timeoutMs: 15_000 };

describe('a vote that lands before its card is recorded', () => {
  let stack: E2eStack;
  let second: CertopsProcess | undefined;

  beforeAll(async () => {
    stack = await startE2eStack({
      mode: 'http',
      role: 'bot',
      config: (sims) => ({ clusters: [simClusterWithAks(sims)] }),
    });
    const config = {
      slack: {
        mode: 'http',
        defaultChannel: OPS_CHANNEL,
        roles: {
          operators: [USERS.operator.id, USERS.requester.id],
          approvers: [USERS.approver1.id, '@platform-leads'],
        },
      },
      redis: { url: REDIS_URL, prefix: stack.prefix },
      clusters: [simClusterWithAks(stack.sims)],
    };
    second = await startCertops({ config, env: { ...sandboxEnvironment(stack.sims), REDIS_URL }, role: 'bot' });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  /** The requester asks through `poster`; approver1 clicks through `voter` while the card's post is unanswered. */
  async function voteWhileCardUnrecorded(
    reason: string,
    voter: () => ReturnType<E2eStack['sims']['slack']['driver']>,
  ): Promise<void> {
    const held = stack.sims.slack.holdNextReply('chat.postMessage', (args) => JSON.stringify(args).includes(reason));
    const asked = stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: `rotate aks-rotate-certs sim ${reason} --confirm sim`,
    });
    await held.reached;
    const card = await stack.sims.slack.waitFor(() => findCard(stack, reason), WAIT);
    expect(cardText(card)).toContain('0 of 2 approvals');
    const recorded = () =>
      stack.sims.slack
        .ephemerals(OPS_CHANNEL, USERS.approver1.id)
        .filter((e) => e.text?.includes('Your approval is recorded: 1 of 2')).length;
    const before = recorded();
    await voter().blockAction({
      userId: USERS.approver1.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.approveRequest,
      value: cardRequestId(card) ?? '',
    });
    await stack.sims.slack.waitFor(() => recorded() > before, WAIT);
    held.release();
    await asked;
    const shown = await stack.sims.slack.waitFor(() => {
      const now = findCard(stack, reason);
      return now && cardText(now).includes(`1 of 2 approvals: <@${USERS.approver1.id}>`) ? now : undefined;
    }, WAIT);
    expect(cardText(shown)).toContain('Approve');
  }

  it('shows the vote on the card when the same bot process took the click', async () => {
    await voteWhileCardUnrecorded('race-one-process', () => stack.driver);
  });

  it('shows the vote on the card when one bot process posted it and another took the click', async () => {
    await voteWhileCardUnrecorded('race-two-processes', () =>
      stack.sims.slack.driver({ requestUrl: `${second!.baseUrl}/slack/events` }),
    );
  });
});
