import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_EXPIRES_LABEL, ACCESS_REQUEST_LABEL } from '../../src/core/access';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { cardRequestId, cardText, click, findCard } from '../helpers/approval-cards';

const KUBECTL = '/usr/bin/kubectl';
const describeWithKubectl = existsSync(KUBECTL) ? describe : describe.skip;
if (!existsSync(KUBECTL)) test.skip('the real kubectl is not installed at /usr/bin/kubectl', () => undefined);

// A dead worker's job is taken over after about a second.
const TUNING = { jobLockMs: 1_000, pollIntervalMs: 50, progressIntervalMs: 100, backoffBaseMs: 50 };

// The worker granting access dies by SIGKILL after it bound the role and before the kubeconfig reached Slack.
describeWithKubectl('a worker killed between binding the role and sending the kubeconfig', () => {
  let stack: E2eStack;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-access-kill-'));
    stack = await startE2eStack({
      mode: 'socket',
      env: { CERTOPS_WORKER_TUNING: JSON.stringify(TUNING) },
      config: (sims) => ({
        clusters: [
          {
            name: 'sim',
            kubeconfig: sims.kubeconfigPath,
            channel: OPS_CHANNEL,
            access: { levels: [{ name: 'view', clusterRole: 'view' }] },
          },
        ],
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('never leaves a binding without its expiry, and the next worker re-issues, re-binds and delivers a kubeconfig that works', async () => {
    const { sims } = stack;
    const bindingsOf = (id: string) =>
      sims.kube.store.clusterRoleBindings.list().filter((b) => b.metadata.labels?.[ACCESS_REQUEST_LABEL] === id);
    // Slack's answer to opening the direct message never reaches the first worker: it is stuck right before the upload.
    const dm = sims.slack.holdNextReply('conversations.open');
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: OPS_CHANNEL,
      text: 'access sim view 20m kill-story',
    });
    const posted = await sims.slack.waitFor(() => findCard(stack, 'kill-story'));
    const id = cardRequestId(posted) as string;
    await click(stack, USERS.approver1.id, posted);
    await click(stack, USERS.approver2.id, posted);
    await dm.reached;

    const [bound] = bindingsOf(id);
    const firstExpiry = Number(bound?.metadata.labels?.[ACCESS_EXPIRES_LABEL]);
    expect(firstExpiry * 1000).toBeGreaterThan(Date.now());
    await stack.certops.stop('SIGKILL');
    dm.release();
    // What the dead worker left can always be swept: the binding carries its expiry.
    expect(bindingsOf(id).map((b) => /^\d+$/.test(b.metadata.labels?.[ACCESS_EXPIRES_LABEL] ?? ''))).toEqual([true]);
    expect(sims.slack.files().filter((f) => f.name.includes(id.toLowerCase()))).toEqual([]);

    await stack.restart();
    const file = await sims.slack.waitFor(
      () => sims.slack.files().find((f) => f.name.includes(id.toLowerCase()) && f.completed),
      { timeoutMs: 60_000 },
    );
    expect(file.channels).toEqual([sims.slack.dmChannel(USERS.requester.id)]);
    const bindings = bindingsOf(id);
    expect(bindings).toHaveLength(1);
    expect(Number(bindings[0]?.metadata.labels?.[ACCESS_EXPIRES_LABEL])).toBeGreaterThanOrEqual(firstExpiry);

    const kubeconfig = join(dir, 'granted.kubeconfig');
    await writeFile(kubeconfig, file.bytes, { mode: 0o600 });
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods'],
        { timeout: 30_000 },
        (err, _stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
      );
    });
    expect(result.code).toBe(0);
    await sims.slack.waitFor(() => cardText(findCard(stack, 'kill-story')!).includes(':unlock:'));
  });
});
