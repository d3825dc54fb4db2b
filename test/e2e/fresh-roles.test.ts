import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  cardText,
  click,
  findCard,
  requestRotation,
  simClusterWithAks,
  waitForEphemeral,
} from '../helpers/approval-cards';

// Roles follow Slack at once: events drop the cached answers, and a vote toward a dangerous action re-reads the voter.
describe('roles that changed in Slack', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ config: (sims) => ({ clusters: [simClusterWithAks(sims)] }) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a user made a guest loses the inventory as soon as Slack says so (user_change)', async () => {
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'requests' });
    await waitForEphemeral(stack, USERS.operator.id, /pending request/);
    stack.sims.slack.addUser({ ...USERS.operator, isRestricted: true });
    await stack.driver.userChange({ userId: USERS.operator.id });
    await stack.certops.waitForLog(/user changed in Slack; cached facts dropped/);
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'requests' });
    expect(await waitForEphemeral(stack, USERS.operator.id, /only its readers, operators and approvers see/)).toMatch(
      /is a guest in this workspace/,
    );
  });

  it('a deactivated approver does not count, even while certops still has them cached', async () => {
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'requests' });
    await waitForEphemeral(stack, USERS.approver1.id, /pending request/);
    const { card } = await requestRotation(stack, 'aks-rotate-certs', 'deactivated-story');
    // No event: the cache still says approver; the vote re-reads the user from Slack.
    stack.sims.slack.addUser({ ...USERS.approver1, deleted: true });
    await click(stack, USERS.approver1.id, card);
    await waitForEphemeral(stack, USERS.approver1.id, /deactivated/);
    expect(cardText(findCard(stack, 'deactivated-story')!)).toContain('0 of 2 approvals');
  });

  it('someone removed from the approvers group stops counting once Slack says so (subteam_members_changed)', async () => {
    await stack.driver.slashCommand({ userId: USERS.approver2.id, channelId: OPS_CHANNEL, text: 'requests' });
    await waitForEphemeral(stack, USERS.approver2.id, /pending request/);
    stack.sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [] });
    await stack.driver.subteamMembersChanged({ groupId: 'S0APPROVERS', removed: [USERS.approver2.id] });
    await stack.certops.waitForLog(/user group members changed in Slack/);
    await stack.driver.slashCommand({ userId: USERS.approver2.id, channelId: OPS_CHANNEL, text: 'requests' });
    await waitForEphemeral(stack, USERS.approver2.id, /only its readers, operators and approvers see/);
  });
});
