import { signedHeaders } from '../../src/sandbox/slack/signing';
import { ActionIds, ApprovalBlockIds, CallbackIds, rotateParamBlockId, rotateParamInputId } from '../../src/slack/ids';
import { PREFLIGHT_TIMEOUT_MS } from '../../src/approvals/request-preflight';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  cardRequestId,
  cardText,
  click,
  findCard,
  requestRotation,
  rotationJob,
  simClusterWithAks,
  waitForEphemeral,
} from '../helpers/approval-cards';

const KMS_CARD_WAIT_MS = PREFLIGHT_TIMEOUT_MS + 5_000;
const select = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});
const text = (value: string) => ({ type: 'plain_text_input', value });

function formValues(v: { cluster: string; operation: string; reason: string; confirm?: string }) {
  const ids = ApprovalBlockIds;
  return {
    [ids.rotateCluster]: { [ids.rotateClusterSelect]: select(v.cluster) },
    [ids.rotateOperation]: { [ids.rotateOperationSelect]: select(v.operation) },
    [ids.rotateReason]: { [ids.rotateReasonInput]: text(v.reason) },
    ...(v.confirm !== undefined ? { [ids.rotateConfirm]: { [ids.rotateConfirmInput]: text(v.confirm) } } : {}),
  };
}

// Rotation requests over signed HTTP delivery, with requests that live 3 seconds.
describe('rotation requests from /certs rotate and the form', () => {
  let stack: E2eStack;
  const openModalOf = (userId: string) =>
    stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .find((v) => v.userId === userId && !v.closed && v.view.callback_id === CallbackIds.rotateModal),
    );

  beforeAll(async () => {
    stack = await startE2eStack({
      mode: 'http',
      config: (sims) => ({ clusters: [simClusterWithAks(sims)], approvals: { lifetime: '3s', sweepInterval: 1 } }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers bad arguments with the usage and the valid operations and clusters, posting nothing', async () => {
    const before = stack.sims.slack.messages(OPS_CHANNEL).length;
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'rotate kubeadm-renew sim because',
    });
    const answer = await waitForEphemeral(stack, USERS.requester.id, /not supported on cluster `sim`/);
    expect(answer).toContain('/certs rotate <operation> <cluster> [name=value …] <reason…> [--confirm <cluster>]');
    expect(answer).toContain(
      '`sim`: `aks-rotate-certs`, `kms-enable key=<key id> [access=Public|Private] [vault=<vault resource id>]`',
    );
    expect(stack.sims.slack.messages(OPS_CHANNEL)).toHaveLength(before);
  });

  it('opens the form for /certs rotate alone, and posts the card when it is submitted', async () => {
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'rotate' });
    const modal = await openModalOf(USERS.operator.id);
    const ack = await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: formValues({ cluster: 'sim', operation: 'reencrypt-secrets', reason: 'modal-story' }),
    });
    expect(ack.status).toBe(200);
    const card = await stack.sims.slack.waitFor(() => findCard(stack, 'modal-story'));
    expect(cardText(card)).toContain('reencrypt-secrets on sim');
    expect(cardText(card)).toContain('0 of 1 approval');
    await waitForEphemeral(
      stack,
      USERS.operator.id,
      new RegExp(`Request \`${cardRequestId(card)}\` for reencrypt-secrets on sim is posted in <#${OPS_CHANNEL}>`),
    );
  });

  it('keeps the form open with an error when a dangerous operation is not confirmed with the cluster name', async () => {
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'rotate' });
    const modal = await openModalOf(USERS.operator.id);
    const ack = await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: formValues({
        cluster: 'sim',
        operation: 'aks-rotate-certs',
        reason: 'unconfirmed-story',
        confirm: 'prod',
      }),
    });
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        [ApprovalBlockIds.rotateConfirm]: expect.stringContaining('That is not sim: type the cluster name exactly'),
      },
    });
    expect(stack.sims.slack.views().find((v) => v.id === modal.id)?.closed).toBe(false);
    expect(findCard(stack, 'unconfirmed-story')).toBeUndefined();
  });

  it('redraws the form for a KMS operation with its parameters, keeps it open with an error under a bad one, and shows them on the card', async () => {
    const key = 'https://kv1.vault.azure.net/keys/etcd/0123456789abcdef';
    const vault = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1';
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'rotate' });
    const modal = await openModalOf(USERS.operator.id);
    expect(JSON.stringify(modal.view)).not.toContain(rotateParamBlockId('keyId'));
    const picked = { ...formValues({ cluster: 'sim', operation: 'kms-enable', reason: 'kms-story' }) };
    await stack.driver.blockAction({
      userId: USERS.operator.id,
      actionId: ApprovalBlockIds.rotateOperationSelect,
      blockId: ApprovalBlockIds.rotateOperation,
      selectedOption: { text: { type: 'plain_text', text: 'kms-enable' }, value: 'kms-enable' },
      view: { id: modal.id, values: picked },
    });
    await stack.sims.slack.waitFor(() =>
      JSON.stringify(stack.sims.slack.views().find((v) => v.id === modal.id)?.view ?? {}).includes(
        rotateParamBlockId('keyId'),
      ),
    );
    const param = (name: string, value: unknown) => ({
      [rotateParamBlockId(name)]: { [rotateParamInputId(name)]: value },
    });
    const bad = await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: {
        ...formValues({ cluster: 'sim', operation: 'kms-enable', reason: 'kms-story', confirm: 'sim' }),
        ...param('keyId', text('etcd')),
        ...param('networkAccess', select('Private')),
      },
    });
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: {
        [rotateParamBlockId('keyId')]: expect.stringContaining('expected a versioned Key Vault key id'),
        [rotateParamBlockId('vaultResourceId')]: expect.stringContaining('required for Private'),
      },
    });
    expect(findCard(stack, 'kms-story')).toBeUndefined();
    await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: {
        ...formValues({ cluster: 'sim', operation: 'kms-enable', reason: 'kms-story', confirm: 'sim' }),
        ...param('keyId', text(key)),
        ...param('networkAccess', select('Private')),
        ...param('vaultResourceId', text(vault)),
      },
    });
    // A KMS card is posted once its pre-flight facts are read, which may take up to PREFLIGHT_TIMEOUT_MS.
    const card = cardText(
      await stack.sims.slack.waitFor(() => findCard(stack, 'kms-story'), { timeoutMs: KMS_CARD_WAIT_MS }),
    );
    expect(card).toContain('0 of 2 approvals');
    expect(card).toContain(`*Key id*: \`${key}\``);
    expect(card).toContain(`*Vault resource id*: \`${vault}\``);
  });

  it("takes a KMS operation's parameters as name=value words on the command, refusing a bad one with what to write", async () => {
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'rotate kms-change-key sim key=newest rotate now',
    });
    const answer = await waitForEphemeral(stack, USERS.requester.id, /Check the parameters of `kms-change-key`/);
    expect(answer).toContain('`key=`: expected "latest" or a versioned Key Vault key id');
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'rotate kms-change-key sim key=latest command-kms-story --confirm sim',
    });
    expect(
      cardText(
        await stack.sims.slack.waitFor(() => findCard(stack, 'command-kms-story'), { timeoutMs: KMS_CARD_WAIT_MS }),
      ),
    ).toContain('*Key id*: `latest`');
  });

  it('sends a one-line dangerous request without --confirm to the same form, prefilled, and posts nothing until it is confirmed', async () => {
    const known = stack.sims.slack.views().length;
    await stack.driver.slashCommand({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      text: 'rotate aks-rotate-certs sim one-line-story',
    });
    const modal = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .slice(known)
        .find((v) => v.userId === USERS.operator.id && v.view.callback_id === CallbackIds.rotateModal),
    );
    const form = JSON.stringify(modal.view);
    expect(form).toContain('"initial_value":"one-line-story"');
    expect(form).toContain('Type the cluster name to confirm');
    expect(findCard(stack, 'one-line-story')).toBeUndefined();
    await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: formValues({ cluster: 'sim', operation: 'aks-rotate-certs', reason: 'one-line-story', confirm: 'sim' }),
    });
    expect(cardText(await stack.sims.slack.waitFor(() => findCard(stack, 'one-line-story')))).toContain(
      'aks-rotate-certs on sim',
    );
  });

  it('refuses a --confirm that names another cluster, with the usage', async () => {
    await stack.driver.slashCommand({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      text: 'rotate aks-rotate-certs sim wrong-confirm-story --confirm prod',
    });
    await waitForEphemeral(stack, USERS.operator.id, /`--confirm prod` does not match the cluster `sim`/);
    expect(findCard(stack, 'wrong-confirm-story')).toBeUndefined();
  });

  it.each([
    [
      '/certs rotate alone',
      (userId: string) => stack.driver.slashCommand({ userId, channelId: OPS_CHANNEL, text: 'rotate' }),
    ],
    [
      'a one-line dangerous request',
      (userId: string) =>
        stack.driver.slashCommand({
          userId,
          channelId: OPS_CHANNEL,
          text: 'rotate aks-rotate-certs sim refused-form-story',
        }),
    ],
    [
      'a Rotate… button',
      (userId: string) =>
        stack.driver.blockAction({
          userId,
          channelId: OPS_CHANNEL,
          actionId: ActionIds.openRotate,
          value: JSON.stringify({ cluster: 'sim', operation: 'aks-rotate-certs' }),
        }),
    ],
  ])('refuses a guest and an outsider before the form opens (%s)', async (_path, open) => {
    for (const [user, why] of [
      [USERS.guest.id, /You may not request rotations.*gus is a guest in this workspace/],
      [USERS.outsider.id, /You may not request rotations.*olga is neither an operator nor an approver/],
    ] as const) {
      const before = stack.sims.slack.views().filter((v) => v.userId === user).length;
      const seen = stack.sims.slack.ephemerals(OPS_CHANNEL, user).length;
      await open(user);
      const told = await stack.sims.slack.waitFor(() =>
        stack.sims.slack
          .ephemerals(OPS_CHANNEL, user)
          .slice(seen)
          .map((e) => `${e.text}`)
          .find((t) => why.test(t)),
      );
      expect(told).toMatch(why);
      expect(stack.sims.slack.views().filter((v) => v.userId === user)).toHaveLength(before);
    }
  });

  it('refuses Reject to someone who may not reject before the reason form opens, and names the operation and cluster in it for an approver', async () => {
    const { card, id } = await requestRotation(stack, 'aks-rotate-certs', 'reject-form-story');
    await click(stack, USERS.operator.id, card, ActionIds.rejectRequest);
    await waitForEphemeral(
      stack,
      USERS.operator.id,
      /You may not reject aks-rotate-certs on sim: it needs an approver/,
    );
    expect(
      stack.sims.slack
        .views()
        .some((v) => v.userId === USERS.operator.id && v.view.callback_id === CallbackIds.rejectModal),
    ).toBe(false);
    await click(stack, USERS.approver1.id, card, ActionIds.rejectRequest);
    const modal = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .find((v) => v.userId === USERS.approver1.id && !v.closed && v.view.callback_id === CallbackIds.rejectModal),
    );
    expect(JSON.stringify(modal.view)).toContain(`Reject aks-rotate-certs on sim (\`${id}\`)?`);
  });

  it('opens the form prefilled from a Rotate… button', async () => {
    await stack.driver.blockAction({
      userId: USERS.approver1.id,
      channelId: OPS_CHANNEL,
      actionId: ActionIds.openRotate,
      value: JSON.stringify({ cluster: 'sim', operation: 'aks-rotate-certs' }),
    });
    const modal = await openModalOf(USERS.approver1.id);
    const form = JSON.stringify(modal.view);
    expect(form).toContain('"initial_option":{"text":{"type":"plain_text","text":"sim"},"value":"sim"}');
    expect(form).toContain('"value":"aks-rotate-certs"');
    await stack.driver.viewSubmission({
      userId: USERS.approver1.id,
      viewId: modal.id,
      values: formValues({ cluster: 'sim', operation: 'aks-rotate-certs', reason: 'button-story', confirm: 'sim' }),
    });
    expect(cardText(await stack.sims.slack.waitFor(() => findCard(stack, 'button-story')))).toContain(
      '0 of 2 approvals',
    );
  });

  it('lists pending requests with /certs requests, to its readers only', async () => {
    const { id } = await requestRotation(stack, 'aks-rotate-certs', 'listed-story');
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'requests sim' });
    const list = await waitForEphemeral(stack, USERS.operator.id, /pending request/);
    expect(list).toContain(`\`${id}\` *aks-rotate-certs* on *sim* · by <@U0REQUESTER> · votes 0/2`);
    // A guest is never a reader, even when the configuration lists them.
    await stack.driver.slashCommand({ userId: USERS.guest.id, channelId: OPS_CHANNEL, text: 'requests sim' });
    expect(
      await waitForEphemeral(stack, USERS.guest.id, /only its readers, operators and approvers see/),
    ).not.toContain(id);
  });

  it('accepts a signed command once: replays, future timestamps and other workspaces open nothing', async () => {
    const first = await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'rotate aks-rotate-certs sim replay-story --confirm sim',
    });
    await stack.sims.slack.waitFor(() => findCard(stack, 'replay-story'));
    const sent = first.sent!;
    for (let i = 0; i < 3; i++) expect((await stack.driver.raw(sent.body, sent.headers)).status).toBe(200);
    await stack.certops.waitForLog(/replayed Slack request refused/);

    const signed = (params: Record<string, string>, stampSeconds = Math.floor(Date.now() / 1000)) => {
      const body = new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(sent.body)), ...params }).toString();
      return {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signedHeaders(stack.sims.slack.signingSecret, stampSeconds, body),
        },
      };
    };
    const future = signed(
      { trigger_id: 'sim-future-trigger', text: 'rotate aks-rotate-certs sim future-story --confirm sim' },
      Math.floor(Date.now() / 1000) + 600,
    );
    expect((await stack.driver.raw(future.body, future.headers)).status).toBe(401);
    const evil = signed({
      trigger_id: 'sim-evil-trigger',
      team_id: 'T0EVILTEAM',
      text: 'rotate aks-rotate-certs sim evil-team-story --confirm sim',
    });
    expect((await stack.driver.raw(evil.body, evil.headers)).status).toBe(200);
    await stack.certops.waitForLog(/another workspace refused: team T0EVILTEAM/);

    // A later genuine command is posted; by then none of the refused ones has been.
    await requestRotation(stack, 'aks-rotate-certs', 'after-replays-story');
    const cards = stack.sims.slack.messages(OPS_CHANNEL).filter((m) => !m.thread_ts);
    expect(cards.filter((m) => cardText(m).includes('replay-story'))).toHaveLength(1);
    expect(cards.some((m) => /future-story|evil-team-story/.test(cardText(m)))).toBe(false);
  });

  it('lets only the requester cancel', async () => {
    const { id } = await requestRotation(stack, 'aks-rotate-certs', 'cancel-story');
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: `cancel ${id}` });
    await waitForEphemeral(
      stack,
      USERS.approver1.id,
      new RegExp(`Only <@${USERS.requester.id}>, who requested it, can cancel this request`),
    );
    // The refusal is in the audit trail: who tried, on what, and why not.
    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 5' });
    expect(await waitForEphemeral(stack, USERS.approver1.id, /cancel-refused/)).toMatch(
      new RegExp(`\\*cancel-refused\\* · aks-rotate-certs on sim · by <@U0APPROVER1> · \`${id}\` · \`not-requester: `),
    );
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: `cancel ${id.toLowerCase()}`,
    });
    await waitForEphemeral(stack, USERS.requester.id, new RegExp(`Request \`${id}\` .* is cancelled`));
    expect(cardText(findCard(stack, 'cancel-story')!)).toContain(`Cancelled by <@${USERS.requester.id}>`);
  });

  it('expires a request that did not get its approvals in time: the card says so, the requester is told, nothing is queued', async () => {
    const { card, id } = await requestRotation(stack, 'aks-rotate-certs', 'expiry-story');
    await click(stack, USERS.approver1.id, card);
    await stack.sims.slack.waitFor(() => cardText(findCard(stack, 'expiry-story')!).includes('1 of 2 approvals'));
    await stack.sims.slack.waitFor(() => cardText(findCard(stack, 'expiry-story')!).includes('*Expired*'), {
      timeoutMs: 15_000,
    });
    expect(cardText(findCard(stack, 'expiry-story')!)).toContain('nothing will run');
    const reply = await stack.sims.slack.waitFor(() =>
      stack.sims.slack.thread(OPS_CHANNEL, card.ts).find((m) => m.thread_ts === card.ts),
    );
    expect(reply.text).toContain(`<@${USERS.requester.id}> your request \`${id}\``);
    expect(reply.text).toContain('expired with 1 of 2 approvals');
    expect(await rotationJob(stack, id)).toBeUndefined();
    // A vote after expiry changes nothing.
    await click(stack, USERS.approver2.id, card);
    await waitForEphemeral(stack, USERS.approver2.id, /expired/);
    expect(await rotationJob(stack, id)).toBeUndefined();

    await stack.driver.slashCommand({ userId: USERS.approver2.id, channelId: OPS_CHANNEL, text: 'audit 10' });
    const audit = await waitForEphemeral(stack, USERS.approver2.id, /audit entries/);
    expect(audit).toContain(`*expiry* · aks-rotate-certs on sim · by certops · \`${id}\``);
  });
});
