import 'reflect-metadata';
import { CertificatesV1Api, KubeConfig } from '@kubernetes/client-node';
import type { SimMessage } from '../../src/sandbox/slack';
import { createCsr, issueCertificate } from '../../src/sandbox/pki/issue';
import { ActionIds, ApprovalBlockIds, CallbackIds } from '../../src/slack/ids';
import { cardRequestId, simClusterWithAks, waitForEphemeral } from '../helpers/approval-cards';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { payloadTexts } from '../helpers/hostile-text';

// The strings an attacker used to make certops ping @channel and post phishing links, sent end to end: through a
// Secret's certificate, a Slack display name, a Kubernetes username and a reason. Whatever certops then sends to
// Slack (every Web API call the simulator saw) must carry them only as inert text.

const DAY = 86_400_000;
const SAN = '<!channel> <https://evil.example|renew the API cert now>';
const DISPLAY_NAME = '<!channel> *PWNED* <https://evil.example|click>';
const K8S_USER = '<!here> <https://evil.example|urgent: approve>';
const FAKE_STATUS = ':white_check_mark: *Approved by @alice and @bob — queued*';
/** A reason with a fake status line, line breaks, zero-width and right-to-left-override characters. */
const HOSTILE_REASON = `reason-corpus-story\n${FAKE_STATUS}\n<!channel> \u200bhidden\u200d \u202eevil\u202c`;
const HOSTILE_USER = { id: 'U0HOSTILE01', name: DISPLAY_NAME };

/** Live markup and invisible characters that came from the corpus, in one payload. */
function leaks(payload: unknown): string[] {
  const found: string[] = [];
  const { mrkdwn, plain } = payloadTexts(payload);
  for (const text of mrkdwn) {
    for (const live of ['<!channel>', '<!here>', '<https://evil.example'])
      if (text.includes(live)) found.push(`${live} live in ${JSON.stringify(text)}`);
    const outsideCode = text.replace(/`[^`\n]*`/g, '');
    for (const format of ['*PWNED*', '*Approved by @alice'])
      if (outsideCode.includes(format)) found.push(`${format} outside a code span in ${JSON.stringify(text)}`);
    if (/^:white_check_mark: \*Approved/m.test(outsideCode)) found.push(`fake status line in ${JSON.stringify(text)}`);
  }
  for (const text of [...mrkdwn, ...plain])
    if (/\u200b|\u200d|\u202e|\u202c/.test(text)) found.push(`invisible character in ${JSON.stringify(text)}`);
  return found;
}

/** The WebClient sends blocks and views form-encoded, as JSON strings. */
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** What certops showed in Slack: the rendered parts of every Web API call (not button values or metadata). */
function everythingSent(stack: E2eStack): Array<{ method: string; shown: Record<string, unknown> }> {
  return stack.sims.slack.calls().map(({ method, args }) => ({
    method,
    shown: {
      text: args.text,
      blocks: parsed(args.blocks),
      view: parsed(args.view),
      attachments: parsed(args.attachments),
    },
  }));
}

const rendered = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

describe('the hostile-text corpus, end to end through the Slack simulator', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    // No common name: the certificate is known by its SAN, as in the report.
    const leaf = await issueCertificate({
      commonName: '',
      dnsNames: [SAN],
      notBefore: new Date(Date.now() - 88 * DAY),
      notAfter: new Date(Date.now() + 2 * DAY),
    });
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    stack = await startE2eStack({
      config: (sims) => {
        sims.kube.store.secrets.create({
          metadata: { namespace: 'shop', name: 'api-tls' },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) },
        });
        sims.slack.addUser(HOSTILE_USER);
        return {
          slack: {
            mode: 'socket',
            defaultChannel: OPS_CHANNEL,
            roles: {
              operators: [USERS.operator.id, USERS.requester.id, HOSTILE_USER.id],
              approvers: [USERS.approver1.id, '@platform-leads'],
            },
          },
          csr: { burstWindow: '1s' },
          clusters: [simClusterWithAks(sims)],
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const slack = () => stack.sims.slack;
  const topLevel = () =>
    slack()
      .messages(OPS_CHANNEL)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts);

  it('posts the expiry warning of a certificate named with a mention and a link as inert text, and its Snooze reply too', async () => {
    const warning = await slack().waitFor(
      () => topLevel().find((m) => m.text.includes('evil.example') && m.text.includes('expires in')),
      { timeoutMs: 30_000 },
    );
    // The name is there, escaped inside a code span, in the notification text phones show and in the blocks.
    expect(warning.text).toContain('&lt;!channel&gt; &lt;https://evil.example|renew the API cert now&gt;');
    expect(leaks(warning)).toEqual([]);

    const snooze = (warning.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value?: string }> }>)
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((e) => e.action_id.startsWith(ActionIds.snooze));
    expect(snooze).toBeDefined();
    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: warning.ts,
      actionId: snooze!.action_id,
      ...(snooze!.value ? { value: snooze!.value } : {}),
    });
    const reply = await slack().waitFor(() =>
      slack()
        .thread(OPS_CHANNEL, warning.ts)
        .find((m) => m.ts !== warning.ts && /snoozed/.test(m.text)),
    );
    expect(reply.text).toContain('evil.example');
    expect(leaks(reply)).toEqual([]);
  });

  it('shows a requester whose display name pings @channel as inert text: the card, /certs requests, "Only … can cancel", the audit', async () => {
    await stack.driver.slashCommand({
      userId: HOSTILE_USER.id,
      channelId: OPS_CHANNEL,
      text: 'rotate aks-rotate-certs sim display-name-story --confirm sim',
    });
    const card = await slack().waitFor(() => topLevel().find((m) => rendered(m).includes('display-name-story')));
    const id = cardRequestId(card) as string;
    expect(id).toMatch(/^R[0-9A-Z]+$/);
    expect(leaks(card)).toEqual([]);

    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'requests sim' });
    const list = await waitForEphemeral(stack, USERS.operator.id, new RegExp(id));
    // The list names the requester by mention: Slack draws the display name itself, so none of it is certops' text.
    expect(list).toContain(`by <@${HOSTILE_USER.id}>`);
    expect(list).not.toContain('PWNED');

    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: `cancel ${id}` });
    await waitForEphemeral(stack, USERS.approver1.id, /can cancel this request/);

    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 20 sim' });
    await waitForEphemeral(stack, USERS.approver1.id, /cancel-refused/);
    for (const user of [USERS.operator.id, USERS.approver1.id])
      for (const answer of slack().ephemerals(OPS_CHANNEL, user)) expect(leaks(answer)).toEqual([]);
  });

  it('shows a CSR from a Kubernetes user named with @here and a link as inert text', async () => {
    stack.sims.kube.addUser(K8S_USER, ['system:authenticated']);
    stack.sims.kube.grant(K8S_USER, ['create'], ['certificatesigningrequests']);
    const kc = new KubeConfig();
    kc.loadFromString(stack.sims.kube.kubeconfig({ user: K8S_USER }));
    const { csrPem } = await createCsr({ commonName: 'corpus-client' });
    await kc.makeApiClient(CertificatesV1Api).createCertificateSigningRequest({
      body: {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name: 'corpus-csr-1' },
        spec: {
          request: Buffer.from(csrPem).toString('base64'),
          signerName: 'kubernetes.io/kube-apiserver-client',
          usages: ['digital signature', 'client auth'],
        },
      },
    });
    const card = await slack().waitFor(() => topLevel().find((m) => rendered(m).includes('corpus-csr-1')), {
      timeoutMs: 15_000,
    });
    expect(rendered(card)).toContain('&lt;!here&gt; &lt;https://evil.example|urgent: approve&gt;');
    expect(leaks(card)).toEqual([]);
    expect(leaks({ text: card.text })).toEqual([]);
  });

  it('refuses a 20,006-character reason on the command and in the form, posting nothing', async () => {
    const huge = `${HOSTILE_REASON}\n${'x'.repeat(20_006 - HOSTILE_REASON.length - 1)}`;
    expect(huge).toHaveLength(20_006);
    const before = topLevel().length;
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: `rotate aks-rotate-certs sim ${huge}`,
    });
    await waitForEphemeral(stack, USERS.requester.id, /keep it to 500/);

    await stack.driver.slashCommand({ userId: USERS.requester.id, channelId: OPS_CHANNEL, text: 'rotate' });
    const modal = await slack().waitFor(() =>
      slack()
        .views()
        .find((v) => v.userId === USERS.requester.id && !v.closed && v.view.callback_id === CallbackIds.rotateModal),
    );
    const ids = ApprovalBlockIds;
    const select = (value: string) => ({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: value }, value },
    });
    const ack = await stack.driver.viewSubmission({
      userId: USERS.requester.id,
      viewId: modal.id,
      values: {
        [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('sim') },
        [ids.rotateOperation]: { [ids.rotateOperationSelect]: select('aks-rotate-certs') },
        [ids.rotateReason]: { [ids.rotateReasonInput]: { type: 'plain_text_input', value: huge } },
        [ids.rotateConfirm]: { [ids.rotateConfirmInput]: { type: 'plain_text_input', value: 'sim' } },
      },
    });
    expect(ack.body).toMatchObject({
      response_action: 'errors',
      errors: { [ids.rotateReason]: expect.stringContaining('keep it to 500') },
    });
    expect(topLevel()).toHaveLength(before);
    expect(leaks(slack().ephemerals(OPS_CHANNEL, USERS.requester.id))).toEqual([]);
  });

  it('posts a reason under the limit with its fake status line, line breaks and invisible characters inert', async () => {
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: `rotate aks-rotate-certs sim ${HOSTILE_REASON} --confirm sim`,
    });
    const card: SimMessage = await slack().waitFor(() =>
      topLevel().find((m) => rendered(m).includes('reason-corpus-story')),
    );
    expect(rendered(card)).toContain('Approved by @alice and @bob');
    expect(leaks(card)).toEqual([]);
  });

  it('sent nothing to Slack, in any call, with live markup or invisible characters from the corpus', () => {
    const sent = everythingSent(stack);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.flatMap(({ method, shown }) => leaks(shown).map((leak) => `${method}: ${leak}`))).toEqual([]);
  });
});
