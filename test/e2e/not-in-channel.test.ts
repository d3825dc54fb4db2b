import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { findCard, simClusterWithAks, waitForEphemeral } from '../helpers/approval-cards';

type LogLine = { level?: number | string; msg?: string; channel?: string };

function logLines(stack: E2eStack): LogLine[] {
  return stack.certops
    .logs()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

// Without chat:write.public, Slack refuses posts to a channel certops was not invited to.
describe('a cluster channel certops is not in', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ mode: 'http', config: (sims) => ({ clusters: [simClusterWithAks(sims)] }) });
    stack.sims.slack.setBotMember(OPS_CHANNEL, false);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('tells the requester to /invite @certops and logs an error naming the channel', async () => {
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'rotate reencrypt-secrets sim uninvited-story',
    });

    const answer = await waitForEphemeral(stack, USERS.requester.id, /\/invite @certops/);
    expect(answer).toContain(`certops is not in channel ${OPS_CHANNEL}`);
    expect(answer).toContain('withdrawn');
    expect(findCard(stack, 'uninvited-story')).toBeUndefined();

    await stack.certops.waitForLog(/invite @certops/);
    const errors = logLines(stack).filter(
      (l) => (l.level === 50 || l.level === 'error') && l.msg?.includes('/invite @certops'),
    );
    expect(errors).toEqual([
      expect.objectContaining({ channel: OPS_CHANNEL, msg: expect.stringContaining(OPS_CHANNEL) }),
    ]);
  });
});
