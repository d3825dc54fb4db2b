import type { CertificatesV1Api } from '@kubernetes/client-node';
import { ActionIds, CsrBlockIds } from '../../src/slack/ids';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  addNode,
  adminCsrApi,
  buttonValue,
  hasCondition,
  messageText,
  nodeCsrApi,
  servingCsr,
  PROVEN_NODE_NAMES,
} from './csr-helpers';

describe('CSR review in Slack, end to end', () => {
  let stack: E2eStack;
  let admin: CertificatesV1Api;
  let worker1: CertificatesV1Api;

  beforeAll(async () => {
    // Kubelets are machines: no person stands behind system:nodes, so their risky CSRs need the usual two.
    stack = await startE2eStack({
      config: () => ({
        csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' },
        identities: { groups: { 'system:nodes': [] } },
      }),
    });
    admin = adminCsrApi(stack.sims.kube);
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
    worker1 = nodeCsrApi(stack.sims.kube, 'worker-1');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const slack = () => stack.sims.slack;
  const cardOf = (name: string) =>
    slack()
      .messages(OPS_CHANNEL)
      .find((m) => messageText(m).includes(`CSR ${name} on sim`));

  it('posts a good kubelet-serving CSR, an operator approves it, and the card follows it to Issued', async () => {
    await worker1.createCertificateSigningRequest({ body: await servingCsr('good-1', 'worker-1', ['10.0.0.5']) });
    const card = await slack().waitFor(() => cardOf('good-1'), { timeoutMs: 15_000 });
    expect(messageText(card)).toContain('Low risk');
    expect(messageText(card)).toContain('system:node:worker-1');
    const value = buttonValue(card, ActionIds.approveCsr);
    expect(value).toBeDefined();

    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.approveCsr,
      blockId: CsrBlockIds.cardActions,
      value,
    });
    const issued = await slack().waitFor(
      () => (messageText(cardOf('good-1')).includes('Issued') ? cardOf('good-1') : undefined),
      { timeoutMs: 15_000 },
    );
    const csr = await admin.readCertificateSigningRequest({ name: 'good-1' });
    expect(hasCondition(csr, 'Approved')).toBe(true);
    expect(csr.status?.certificate).toBeTruthy();
    const approved = csr.status?.conditions?.find((c) => c.type === 'Approved');
    expect(approved?.reason).toBe('CertopsApprove');
    expect(approved?.message).toContain(USERS.operator.id);
    expect(buttonValue(issued, ActionIds.approveCsr)).toBeUndefined();
  });

  it('needs two approvers for a CSR asking for an IP the node does not have', async () => {
    await worker1.createCertificateSigningRequest({
      body: await servingCsr('suspicious-1', 'worker-1', ['10.0.0.5', '10.9.9.9']),
    });
    const card = await slack().waitFor(() => cardOf('suspicious-1'), { timeoutMs: 15_000 });
    expect(messageText(card)).toContain('High risk');
    expect(messageText(card)).toContain('ip-not-proven');
    expect(messageText(card)).toContain('ip-not-node-address');
    const value = buttonValue(card, ActionIds.approveCsr);

    await stack.driver.blockAction({
      userId: USERS.approver1.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.approveCsr,
      value,
    });
    const told = await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.approver1.id)
          .find((e) => e.text.includes('1 more authorised approver')),
      { timeoutMs: 15_000 },
    );
    expect(told.text).toContain('1 of 2');
    await slack().waitFor(
      () =>
        messageText(cardOf('suspicious-1')).includes(`1 of 2 approvals: <@${USERS.approver1.id}>`) ? true : undefined,
      { timeoutMs: 15_000 },
    );
    expect(hasCondition(await admin.readCertificateSigningRequest({ name: 'suspicious-1' }), 'Approved')).toBe(false);

    await stack.driver.blockAction({
      userId: USERS.approver2.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.approveCsr,
      value,
    });
    await slack().waitFor(() => (messageText(cardOf('suspicious-1')).includes('Issued') ? true : undefined), {
      timeoutMs: 15_000,
    });
    const csr = await admin.readCertificateSigningRequest({ name: 'suspicious-1' });
    const approved = csr.status?.conditions?.find((c) => c.type === 'Approved');
    expect(approved?.message).toContain(USERS.approver1.id);
    expect(approved?.message).toContain(USERS.approver2.id);
  });

  it('denies with the reason typed in the modal, recorded in the Denied condition', async () => {
    await worker1.createCertificateSigningRequest({ body: await servingCsr('deny-me', 'worker-1', ['10.0.0.5']) });
    const card = await slack().waitFor(() => cardOf('deny-me'), { timeoutMs: 15_000 });
    const before = slack().views().length;
    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.denyCsr,
      value: buttonValue(card, ActionIds.denyCsr),
    });
    const modal = await slack().waitFor(() => slack().views()[before], { timeoutMs: 15_000 });
    await stack.driver.viewSubmission({
      userId: USERS.operator.id,
      viewId: modal.id,
      values: {
        [CsrBlockIds.denyReason]: {
          [CsrBlockIds.denyReasonInput]: { type: 'plain_text_input', value: 'not our machine' },
        },
      },
    });
    await slack().waitFor(() => (messageText(cardOf('deny-me')).includes('Denied') ? true : undefined), {
      timeoutMs: 15_000,
    });
    const csr = await admin.readCertificateSigningRequest({ name: 'deny-me' });
    const denied = csr.status?.conditions?.find((c) => c.type === 'Denied');
    expect(denied?.reason).toBe('CertopsDeny');
    expect(denied?.message).toContain('not our machine');
    expect(denied?.message).toContain(USERS.operator.id);
  });

  it('answers /certs csr with the pending CSRs and their verdicts, ephemerally', async () => {
    await worker1.createCertificateSigningRequest({ body: await servingCsr('listed-1', 'worker-1', ['10.0.0.5']) });
    await slack().waitFor(() => cardOf('listed-1'), { timeoutMs: 15_000 });
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'csr sim' });
    const answer = await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.operator.id)
          .find((e) => messageText(e).includes('pending')),
      { timeoutMs: 15_000 },
    );
    expect(messageText(answer)).toContain('listed-1');
    expect(messageText(answer)).not.toContain('good-1');
  });
});
