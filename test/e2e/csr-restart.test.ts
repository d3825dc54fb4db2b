import type { CertificatesV1Api } from '@kubernetes/client-node';
import { sandboxEnvironment } from '../../src/sandbox/harness/simulators';
import { startCertops, type CertopsProcess } from '../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { addNode, messageText, nodeCsrApi, servingCsr, PROVEN_NODE_NAMES } from './csr-helpers';

/** How many Slack messages (threads included) mention each CSR. */
function mentions(stack: E2eStack, names: string[]): Record<string, number> {
  const texts = stack.sims.slack.messages(OPS_CHANNEL).map(messageText);
  return Object.fromEntries(
    names.map((name) => [name, texts.filter((t) => t.includes(`\`${name}\``) || t.includes(`CSR ${name} on`)).length]),
  );
}

const everyOnce = (names: string[]) => Object.fromEntries(names.map((n) => [n, 1]));

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('a bot restarted in the middle of a burst', () => {
  let stack: E2eStack;
  let kubelet: CertificatesV1Api;

  beforeAll(async () => {
    stack = await startE2eStack({ config: () => ({ csr: { ...PROVEN_NODE_NAMES, burstWindow: '2s' } }) });
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
    kubelet = nodeCsrApi(stack.sims.kube, 'worker-1');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('posts every CSR exactly once: none twice, none missing', async () => {
    const create = async (name: string) =>
      kubelet.createCertificateSigningRequest({ body: await servingCsr(name, 'worker-1', ['10.0.0.5']) });
    const before = ['r-1', 'r-2', 'r-3'];
    const during = ['r-4', 'r-5', 'r-6'];
    for (const name of before) await create(name);
    // Restart while the burst window is still open, and keep creating CSRs while the bot is down.
    const restarting = stack.restart();
    for (const name of during) await create(name);
    await restarting;
    const all = [...before, ...during];
    await stack.sims.slack.waitFor(
      () => (Object.values(mentions(stack, all)).every((n) => n >= 1) ? true : undefined),
      { timeoutMs: 30_000 },
    );
    // Two more burst windows: a duplicate would have arrived by now.
    await settle(4000);
    expect(mentions(stack, all)).toEqual(everyOnce(all));
  });
});

describe('two bot replicas sharing one Redis prefix', () => {
  let stack: E2eStack;
  let second: CertopsProcess | undefined;
  let kubelet: CertificatesV1Api;

  beforeAll(async () => {
    stack = await startE2eStack({ config: () => ({ csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' } }) });
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
    kubelet = nodeCsrApi(stack.sims.kube, 'worker-1');
    await stack.certops.waitForLog(/became leader/);
    const config = {
      slack: {
        mode: 'socket',
        defaultChannel: OPS_CHANNEL,
        roles: { operators: [USERS.operator.id], approvers: [USERS.approver1.id] },
      },
      redis: { url: REDIS_URL, prefix: stack.prefix },
      clusters: [{ name: 'sim', kubeconfig: stack.sims.kubeconfigPath, channel: OPS_CHANNEL }],
      csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' },
    };
    second = await startCertops({ config, env: { ...sandboxEnvironment(stack.sims), REDIS_URL } });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('posts every CSR exactly once, and the other replica takes over when the leader is killed', async () => {
    const create = async (name: string) =>
      kubelet.createCertificateSigningRequest({ body: await servingCsr(name, 'worker-1', ['10.0.0.5']) });
    for (const name of ['p-1', 'p-2']) await create(name);
    await stack.sims.slack.waitFor(() => (mentions(stack, ['p-1', 'p-2'])['p-2'] === 1 ? true : undefined), {
      timeoutMs: 20_000,
    });
    expect(second?.logs()).not.toMatch(/became leader/);
    // Slack's answer and certops' record of it are two writes; let the record land before the crash.
    await settle(500);

    await stack.certops.stop('SIGKILL');
    await second?.waitForLog(/became leader/, 30_000);
    await create('after-failover');
    await stack.sims.slack.waitFor(
      () => (mentions(stack, ['after-failover'])['after-failover'] === 1 ? true : undefined),
      { timeoutMs: 20_000 },
    );
    await settle(2500);
    const all = ['p-1', 'p-2', 'after-failover'];
    expect(mentions(stack, all)).toEqual(everyOnce(all));
  });
});
