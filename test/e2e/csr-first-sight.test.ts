import { Redis } from 'ioredis';
import { sandboxEnvironment } from '../../src/sandbox/harness/simulators';
import { startCertops, type CertopsProcess } from '../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  PROVEN_NODE_NAMES,
  addNode,
  adminCsrApi,
  hasCondition,
  messageText,
  nodeCsrApi,
  servingCsr,
} from './csr-helpers';

describe('auto-decisions only on first sight', () => {
  let stack: E2eStack;
  let second: CertopsProcess | undefined;

  beforeAll(async () => {
    // No proof configured yet: every kubelet serving CSR is high risk and goes to people.
    stack = await startE2eStack({ config: () => ({ csr: { burstWindow: '1s', autoApprove: ['kubelet-serving'] } }) });
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('never auto-approves a CSR people were shown, after Redis lost its data and the policy changed', async () => {
    await nodeCsrApi(stack.sims.kube, 'worker-1').createCertificateSigningRequest({
      body: await servingCsr('seen-once', 'worker-1', ['10.0.0.5']),
    });
    const first = await stack.sims.slack.waitFor(
      () => stack.sims.slack.messages(OPS_CHANNEL).find((m) => messageText(m).includes('CSR seen-once on')),
      { timeoutMs: 20_000 },
    );
    expect(messageText(first)).toContain('High risk');

    await stack.certops.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${stack.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    // Now the configuration proves the node's names: the same CSR would be low risk, and auto-approvable if new.
    const config = {
      slack: {
        mode: 'socket',
        defaultChannel: OPS_CHANNEL,
        roles: { operators: [USERS.operator.id], approvers: [USERS.approver1.id] },
      },
      redis: { url: REDIS_URL, prefix: stack.prefix },
      clusters: [{ name: 'sim', kubeconfig: stack.sims.kubeconfigPath, channel: OPS_CHANNEL }],
      csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s', autoApprove: ['kubelet-serving'] },
    };
    second = await startCertops({ config, env: { ...sandboxEnvironment(stack.sims), REDIS_URL } });

    const again = await stack.sims.slack.waitFor(
      () =>
        stack.sims.slack
          .messages(OPS_CHANNEL)
          .find((m) => m.ts !== first.ts && messageText(m).includes('showed this CSR in this channel before')),
      { timeoutMs: 30_000 },
    );
    expect(messageText(again)).toContain('CSR seen-once on');
    expect(
      hasCondition(await adminCsrApi(stack.sims.kube).readCertificateSigningRequest({ name: 'seen-once' }), 'Approved'),
    ).toBe(false);
    expect(stack.sims.slack.messages(OPS_CHANNEL).some((m) => m.text.includes('approved automatically'))).toBe(false);
  });
});
