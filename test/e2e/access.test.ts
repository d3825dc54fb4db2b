import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionIds, AccessBlockIds, CallbackIds } from '../../src/slack/ids';
import type { SimMessage } from '../../src/sandbox/slack';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { cardRequestId, cardText, click, findCard, waitForEphemeral } from '../helpers/approval-cards';

const KUBECTL = '/usr/bin/kubectl';
const describeWithKubectl = existsSync(KUBECTL) ? describe : describe.skip;
if (!existsSync(KUBECTL)) test.skip('the real kubectl is not installed at /usr/bin/kubectl', () => undefined);

function kubectl(
  kubeconfig: string,
  cacheDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

// Temporary access from Slack to kubectl and back, against the real binary and the simulators.
describeWithKubectl('break-glass access from Slack', () => {
  let stack: E2eStack;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-access-e2e-'));
    stack = await startE2eStack({
      mode: 'socket',
      config: (sims) => ({
        clusters: [
          {
            name: 'sim',
            kubeconfig: sims.kubeconfigPath,
            channel: OPS_CHANNEL,
            access: { levels: [{ name: 'view', clusterRole: 'view', maxDuration: '1h' }] },
          },
        ],
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function ask(reason: string, userId: string = USERS.requester.id): Promise<{ card: SimMessage; id: string }> {
    await stack.driver.slashCommand({ userId, channelId: OPS_CHANNEL, text: `access sim view 30m ${reason}` });
    const card = await stack.sims.slack.waitFor(() => findCard(stack, reason));
    const id = cardRequestId(card);
    if (!id) throw new Error(`card without a request id: ${cardText(card)}`);
    return { card, id };
  }

  const card = (reason: string) => findCard(stack, reason) as SimMessage;

  async function approvedAndDelivered(
    reason: string,
  ): Promise<{ id: string; posted: SimMessage; kubeconfigPath: string }> {
    const { card: posted, id } = await ask(reason);
    await click(stack, USERS.approver1.id, posted);
    await click(stack, USERS.approver2.id, posted);
    const file = await stack.sims.slack.waitFor(() =>
      stack.sims.slack.files().find((f) => f.name.includes(id.toLowerCase()) && f.completed),
    );
    const kubeconfigPath = join(dir, `${id}.kubeconfig`);
    await writeFile(kubeconfigPath, file.bytes, { mode: 0o600 });
    return { id, posted, kubeconfigPath };
  }

  it('refuses an unknown level, a duration over the level maximum and a missing reason, saying how to ask', async () => {
    const before = stack.sims.slack.messages(OPS_CHANNEL).length;
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'access sim root 30m need everything',
    });
    expect(await waitForEphemeral(stack, USERS.requester.id, /Unknown access level `root` on `sim`/)).toContain(
      '`sim`: `view` (up to 1h)',
    );
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'access sim view 3h long incident',
    });
    await waitForEphemeral(
      stack,
      USERS.requester.id,
      /3h is over the maximum of `view` on `sim` \(1h\)\. Ask for 1h or less/,
    );
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'access sim view 30m',
    });
    await waitForEphemeral(stack, USERS.requester.id, /Say why: a reason is required/);
    expect(stack.sims.slack.messages(OPS_CHANNEL)).toHaveLength(before);
  });

  it("does not count the requester's own approval", async () => {
    const { card: posted } = await ask('self-vote-story');
    await click(stack, USERS.requester.id, posted);
    await waitForEphemeral(stack, USERS.requester.id, /You requested this access-grant, so your vote cannot count/);
    expect(cardText(card('self-vote-story'))).toContain('0 of 2 approvals');
    expect(stack.sims.slack.files().some((f) => f.name.includes(cardRequestId(posted)?.toLowerCase() ?? '-'))).toBe(
      false,
    );
  });

  it('grants access after two approvals: the requester alone gets a kubeconfig kubectl accepts, until Revoke now deletes the binding', async () => {
    const { id, posted, kubeconfigPath } = await approvedAndDelivered('incident-story INC-4711');
    const cache = join(dir, 'cache-1');

    // The file went to the requester's direct message only, with the expiry in the message.
    const dm = stack.sims.slack.dmChannel(USERS.requester.id);
    const file = stack.sims.slack.files().find((f) => f.name.includes(id.toLowerCase()));
    expect(file?.channels).toEqual([dm]);
    const note = stack.sims.slack.messages(dm).find((m) => (m.files ?? []).some((f) => f.id === file?.id));
    expect(note?.text).toContain('expires <!date^');
    expect(JSON.stringify(stack.sims.slack.messages(OPS_CHANNEL))).not.toContain('client-key-data');

    const allowed = await kubectl(kubeconfigPath, cache, ['get', 'pods', '-n', 'default']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('No resources found in default namespace.\n');
    const whoami = await kubectl(kubeconfigPath, cache, ['get', 'secrets', '-n', 'default']);
    expect(whoami.stderr).toContain(`User "certops:${USERS.requester.id}" cannot list resource "secrets"`);

    await stack.sims.slack.waitFor(() => cardText(card('incident-story INC-4711')).includes(':unlock:'));
    expect(cardText(card('incident-story INC-4711'))).toContain(`<@${USERS.requester.id}> · \`view\` on *sim* until`);
    // certops' own CSR is approved by its job, never posted for review.
    expect(
      stack.sims.slack.messages(OPS_CHANNEL).filter((m) => cardText(m).includes(`certops-access-${id.toLowerCase()}`)),
    ).toEqual([]);

    // The Home tab shows who has access until when.
    await stack.driver.appHomeOpened({ userId: USERS.approver2.id });
    const home = await stack.sims.slack.waitFor(() => stack.sims.slack.homeTab(USERS.approver2.id));
    expect(JSON.stringify(home.blocks)).toContain(`<@${USERS.requester.id}> · \`view\` on *sim* until`);

    // `/certs access` alone lists the grant.
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'access' });
    await waitForEphemeral(
      stack,
      USERS.operator.id,
      new RegExp(`Temporary access right now.*<@${USERS.requester.id}>`),
    );

    // An outsider may not revoke; an approver may.
    await click(stack, USERS.outsider.id, card('incident-story INC-4711'), ActionIds.revokeAccess);
    await waitForEphemeral(
      stack,
      USERS.outsider.id,
      /Only rita, who holds this access, or an approver of sim can revoke it/,
    );
    await click(stack, USERS.approver1.id, card('incident-story INC-4711'), ActionIds.revokeAccess);
    await waitForEphemeral(stack, USERS.approver1.id, /Access revoked: the role binding is deleted/);
    await stack.sims.slack.waitFor(() =>
      cardText(card('incident-story INC-4711')).includes(`revoked by <@${USERS.approver1.id}>`),
    );
    expect(cardText(card('incident-story INC-4711'))).not.toContain(ActionIds.revokeAccess);

    const denied = await kubectl(kubeconfigPath, cache, ['get', 'pods', '-n', 'default']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Forbidden');
    expect(
      stack.sims.kube.store.clusterRoleBindings
        .list()
        .filter((b) => b.metadata.name === `certops-access-${id.toLowerCase()}`),
    ).toHaveLength(0);
    void posted;
  });

  it('lets the requester revoke their own access', async () => {
    const { kubeconfigPath } = await approvedAndDelivered('own-revoke-story');
    await stack.sims.slack.waitFor(() => cardText(card('own-revoke-story')).includes(':unlock:'));
    await click(stack, USERS.requester.id, card('own-revoke-story'), ActionIds.revokeAccess);
    await stack.sims.slack.waitFor(() =>
      cardText(card('own-revoke-story')).includes(`revoked by <@${USERS.requester.id}>`),
    );
    const denied = await kubectl(kubeconfigPath, join(dir, 'cache-2'), ['get', 'pods']);
    expect(denied.stderr).toContain('Forbidden');
  });

  it("says on the card when the cluster's signer refuses, with the CSR's condition, and leaves no binding", async () => {
    stack.sims.kube.setSignerMode('kubernetes.io/kube-apiserver-client', {
      refuse: 'this control plane does not sign client certificates',
    });
    try {
      const { card: posted, id } = await ask('refused-signer-story');
      await click(stack, USERS.approver1.id, posted);
      await click(stack, USERS.approver2.id, posted);
      // The grant's failure and the job's are two writes, each redrawing the card: wait for the drawing with both.
      await stack.sims.slack.waitFor(() => {
        const text = cardText(card('refused-signer-story'));
        return text.includes('not granted') && text.includes('— failed*');
      });
      const shown = cardText(card('refused-signer-story'));
      expect(shown).toContain('— failed*');
      expect(shown).toContain(
        'signing failed (reason SignerValidationFailure): this control plane does not sign client certificates',
      );
      expect(shown).not.toContain(ActionIds.revokeAccess);
      expect(stack.sims.kube.store.clusterRoleBindings.get(`certops-access-${id.toLowerCase()}`)).toBeUndefined();
      expect(stack.sims.slack.files().some((f) => f.name.includes(id.toLowerCase()))).toBe(false);
    } finally {
      stack.sims.kube.setSignerMode('kubernetes.io/kube-apiserver-client', 'sign');
    }
  });

  it('takes the same ask from the form, and keeps a bad duration in the form under its field', async () => {
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'access' });
    const list = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .ephemerals(OPS_CHANNEL, USERS.operator.id)
        .find((e) => JSON.stringify(e.blocks).includes(ActionIds.openAccess)),
    );
    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: list.ts,
      actionId: ActionIds.openAccess,
      value: 'open',
    });
    const modal = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .find((v) => v.userId === USERS.operator.id && !v.closed && v.view.callback_id === CallbackIds.accessModal),
    );
    const values = (duration: string) => ({
      [AccessBlockIds.level]: {
        [AccessBlockIds.levelSelect]: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'view' }, value: 'sim/view' },
        },
      },
      [AccessBlockIds.duration]: { [AccessBlockIds.durationInput]: { type: 'plain_text_input', value: duration } },
      [AccessBlockIds.reason]: { [AccessBlockIds.reasonInput]: { type: 'plain_text_input', value: 'form-story' } },
    });
    const refused = await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: values('2h'),
    });
    expect(JSON.stringify(refused)).toContain(AccessBlockIds.duration);
    expect(JSON.stringify(refused)).toContain('2h is over the maximum');
    await stack.driver.viewSubmission({ userId: USERS.operator.id, viewId: modal.id, values: values('45m') });
    const posted = await stack.sims.slack.waitFor(() => findCard(stack, 'form-story'));
    expect(cardText(posted)).toContain('45m from issuance');
  });
});
