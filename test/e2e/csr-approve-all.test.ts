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

describe('a burst of CSRs in one message, and "Approve all low-risk"', () => {
  let stack: E2eStack;
  let admin: CertificatesV1Api;

  beforeAll(async () => {
    stack = await startE2eStack({ config: () => ({ csr: { ...PROVEN_NODE_NAMES, burstWindow: '2s' } }) });
    admin = adminCsrApi(stack.sims.kube);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const slack = () => stack.sims.slack;
  const grouped = () =>
    slack()
      .messages(OPS_CHANNEL)
      .find((m) => buttonValue(m, ActionIds.approveAllLowRisk) !== undefined);

  it('groups the burst, refuses an outsider, and approves only the low-risk ones for an operator', async () => {
    const nodes = ['pool-a', 'pool-b', 'pool-c', 'pool-d'];
    nodes.forEach((node, i) => addNode(stack.sims.kube, node, `10.0.1.${i + 1}`));
    const names = ['burst-a', 'burst-b', 'burst-c'];
    // The three good requests and one asking for an address its node does not have, all inside the window.
    await Promise.all([
      ...names.map(async (name, i) =>
        nodeCsrApi(stack.sims.kube, nodes[i] as string).createCertificateSigningRequest({
          body: await servingCsr(name, nodes[i] as string, [`10.0.1.${i + 1}`]),
        }),
      ),
      (async () =>
        nodeCsrApi(stack.sims.kube, 'pool-d').createCertificateSigningRequest({
          body: await servingCsr('burst-risky', 'pool-d', ['10.0.1.4', '10.9.9.9']),
        }))(),
    ]);

    const message = await slack().waitFor(() => grouped(), { timeoutMs: 20_000 });
    const text = messageText(message);
    for (const name of [...names, 'burst-risky']) expect(text).toContain(name);
    expect(
      slack()
        .messages(OPS_CHANNEL)
        .filter((m) => /burst-/.test(messageText(m))),
    ).toHaveLength(1);
    const value = buttonValue(message, ActionIds.approveAllLowRisk);

    await stack.driver.blockAction({
      userId: USERS.outsider.id,
      channelId: OPS_CHANNEL,
      messageTs: message.ts,
      actionId: ActionIds.approveAllLowRisk,
      blockId: CsrBlockIds.burstActions,
      value,
    });
    await slack().waitFor(() => slack().ephemerals(OPS_CHANNEL, USERS.outsider.id)[0], { timeoutMs: 10_000 });
    for (const name of names)
      expect(hasCondition(await admin.readCertificateSigningRequest({ name }), 'Approved')).toBe(false);

    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: message.ts,
      actionId: ActionIds.approveAllLowRisk,
      blockId: CsrBlockIds.burstActions,
      value,
    });
    const answer = await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.operator.id)
          .find((e) => /Approved 3 of 3/.test(JSON.stringify(e))),
      { timeoutMs: 20_000 },
    );
    expect(answer).toBeDefined();
    for (const name of names) {
      const csr = await admin.readCertificateSigningRequest({ name });
      expect(hasCondition(csr, 'Approved')).toBe(true);
      expect(csr.status?.conditions?.find((c) => c.type === 'Approved')?.message).toContain(USERS.operator.id);
    }
    const risky = await admin.readCertificateSigningRequest({ name: 'burst-risky' });
    expect(risky.status?.conditions ?? []).toEqual([]);
  });
});
