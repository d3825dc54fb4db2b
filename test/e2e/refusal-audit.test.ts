import { Redis } from 'ioredis';
import { AuditLog, type AuditRecord } from '../../src/state/audit-log';
import { silentLogger } from '../../src/util/logger';
import { ActionIds, ApprovalBlockIds, CallbackIds, CsrBlockIds } from '../../src/slack/ids';
import { click, requestRotation, simClusterWithAks, waitForEphemeral } from '../helpers/approval-cards';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { PROVEN_NODE_NAMES, addNode, buttonValue, messageText, nodeCsrApi, servingCsr } from './csr-helpers';

// A refused rejection and a refused CSR decision leave an audit entry saying who tried, on what, and why not,
// as refused votes, requests and cancellations do.
describe('refused decisions in the audit trail', () => {
  let stack: E2eStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startE2eStack({
      config: (sims) => ({ clusters: [simClusterWithAks(sims)], csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' } }),
    });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await redis?.quit();
    await stack?.stop();
  });

  const entries = (type: AuditRecord['type']) =>
    new AuditLog(redis, { prefix: stack.prefix, logger: silentLogger(), retentionSeconds: 86400 }).latest(20, {
      cluster: 'sim',
      types: [type],
    });

  it('audits a rejection submitted after the request was cancelled: the rejecter, the request, the reason and why not', async () => {
    const { card, id } = await requestRotation(stack, 'aks-rotate-certs', 'refused-reject-story');
    await click(stack, USERS.approver1.id, card, ActionIds.rejectRequest);
    const modal = await stack.sims.slack.waitFor(() =>
      stack.sims.slack
        .views()
        .find((v) => v.userId === USERS.approver1.id && !v.closed && v.view.callback_id === CallbackIds.rejectModal),
    );
    // While the form is open, the requester cancels.
    await stack.driver.slashCommand({ userId: USERS.requester.id, channelId: OPS_CHANNEL, text: `cancel ${id}` });
    await waitForEphemeral(stack, USERS.requester.id, /is cancelled/);

    await stack.driver.viewSubmission({
      userId: USERS.approver1.id,
      viewId: modal.id,
      values: {
        [ApprovalBlockIds.rejectReason]: {
          [ApprovalBlockIds.rejectReasonInput]: { type: 'plain_text_input', value: 'too late to matter' },
        },
      },
    });
    let found = await entries('rejection-refused');
    while (found.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await entries('rejection-refused');
    }
    const [refused] = found;
    expect(refused).toMatchObject({
      actor: { id: USERS.approver1.id, name: 'alice' },
      action: 'aks-rotate-certs',
      requestId: id,
      reason: 'too late to matter',
    });
    expect(refused?.outcome).toMatch(/^already-decided: /);

    await stack.driver.slashCommand({ userId: USERS.approver1.id, channelId: OPS_CHANNEL, text: 'audit 20 sim' });
    await waitForEphemeral(
      stack,
      USERS.approver1.id,
      new RegExp(`\\*rejection-refused\\* · aks-rotate-certs on sim · by <@U0APPROVER1> · \`${id}\``),
    );
  });

  it('audits a CSR approval refused to someone without a role: who, which CSR, and why', async () => {
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
    await nodeCsrApi(stack.sims.kube, 'worker-1').createCertificateSigningRequest({
      body: await servingCsr('refused-csr-1', 'worker-1', ['10.0.0.5']),
    });
    const card = await stack.sims.slack.waitFor(
      () => stack.sims.slack.messages(OPS_CHANNEL).find((m) => messageText(m).includes('CSR refused-csr-1 on sim')),
      { timeoutMs: 15_000 },
    );
    const value = buttonValue(card, ActionIds.approveCsr);
    expect(value).toBeDefined();

    await stack.driver.blockAction({
      userId: USERS.outsider.id,
      channelId: OPS_CHANNEL,
      messageTs: card.ts,
      actionId: ActionIds.approveCsr,
      blockId: CsrBlockIds.cardActions,
      value,
    });
    await waitForEphemeral(stack, USERS.outsider.id, /You may not approve CSR refused-csr-1/);
    const [refused] = await entries('csr-decision-refused');
    expect(refused).toMatchObject({
      actor: { id: USERS.outsider.id, name: 'olga' },
      action: 'csr-approve',
      params: { csrName: 'refused-csr-1' },
    });
    expect(refused?.outcome).toContain('needs an operator or approver');
  });
});
