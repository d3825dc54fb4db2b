import { signedHeaders } from '../../src/sandbox/slack';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';

describe.each(['socket', 'http'] as const)('/certs help through %s delivery', (mode) => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startE2eStack({ mode });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers with the list of subcommands, only to the user who asked', async () => {
    const delivery = await stack.driver.slashCommand({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      text: 'help',
    });
    expect(delivery.status === 200 || delivery.status === 'acked').toBe(true);
    const answer = await stack.sims.slack.waitFor(() => stack.sims.slack.ephemerals(OPS_CHANNEL, USERS.operator.id)[0]);
    const text = JSON.stringify(answer);
    for (const sub of ['status', 'expiring', 'csr', 'rotate', 'requests', 'digest', 'audit'])
      expect(text).toContain(`/certs ${sub}`);
    expect(stack.sims.slack.messages(OPS_CHANNEL)).toHaveLength(0);
  });

  it('answers an unknown subcommand with the help, saying what was not understood', async () => {
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'frobnicate now' });
    const answer = await stack.sims.slack.waitFor(
      () => stack.sims.slack.ephemerals(OPS_CHANNEL, USERS.approver1.id)[0],
    );
    expect(JSON.stringify(answer)).toContain('`/certs frobnicate` is not a certops command');
  });
});

describe('HTTP delivery with a bad signature', () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startE2eStack({ mode: 'http' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const body = new URLSearchParams({
    command: '/certs',
    text: 'help',
    user_id: USERS.operator.id,
    channel_id: OPS_CHANNEL,
    response_url: 'http://127.0.0.1:1/x',
    trigger_id: 't',
  }).toString();

  it.each([
    ['a forged signature', () => ({ ...signedHeaders('not-the-secret', Math.floor(Date.now() / 1000), body) })],
    [
      'a stale timestamp',
      () => ({ ...signedHeaders(stack.sims.slack.signingSecret, Math.floor(Date.now() / 1000) - 600, body) }),
    ],
    ['no signature at all', () => ({})],
  ])('rejects %s with 401 and reaches no handler', async (_what, headers) => {
    const before = stack.sims.slack.responses().length;
    const res = await fetch(`${stack.certops.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers() },
      body,
    });
    expect(res.status).toBe(401);
    // A handler would have answered through response_url or the Web API; nothing did.
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.sims.slack.responses().length).toBe(before);
    expect(stack.sims.slack.ephemerals(OPS_CHANNEL)).toHaveLength(0);
  });
});
