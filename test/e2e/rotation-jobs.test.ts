import { X509Certificate } from 'node:crypto';
import type { Simulators } from '../../src/sandbox/harness/simulators';
import { startAksSimStack, type AksSimStack } from '../helpers/aks-sim-stack';
import { cardText, click, findCard, requestRotation } from '../helpers/approval-cards';
import { OPS_CHANNEL, USERS, type E2eStack } from '../helpers/e2e-stack';

// An approved AKS rotation runs on the worker of the real binary (role all), with progress and outcome in Slack.
describe('a rotation runs as a job and reports in Slack', () => {
  let aks: AksSimStack;
  let sims: Simulators;
  let stack: E2eStack;

  beforeAll(async () => {
    aks = await startAksSimStack('jobs', {
      pollIntervalMs: 50,
      progressIntervalMs: 200,
      backoffBaseMs: 50,
      busyRetryMs: 200,
    });
    sims = aks.sims;
    stack = aks.e2e(await aks.launch('all'));
  });

  afterAll(async () => {
    await aks?.stop();
  });

  it('rotates the AKS certificates once, shows progress and before/after in the thread, updates the card and tells the channel to fetch credentials', async () => {
    const oldCa = new X509Certificate(sims.kube.caPem()).fingerprint256;
    const { card } = await requestRotation(stack, 'aks-rotate-certs', 'jobs-aks-story');
    await click(stack, USERS.approver1.id, card);
    await sims.slack.waitFor(() => cardText(findCard(stack, 'jobs-aks-story')!).includes('1 of 2'));
    await click(stack, USERS.approver2.id, card);

    await sims.slack.waitFor(() => cardText(findCard(stack, 'jobs-aks-story')!).includes('— done'));
    const newCa = new X509Certificate(sims.kube.caPem()).fingerprint256;
    expect(newCa).not.toBe(oldCa);
    expect(sims.azure.requests({ method: 'POST', pathRegex: /rotateClusterCertificates/ })).toHaveLength(1);

    const progress = await sims.slack.waitFor(() =>
      sims.slack
        .thread(OPS_CHANNEL, card.ts)
        .find((m) => m.thread_ts === card.ts && /aks-rotate-certs\* on \*sim\* succeeded/.test(m.text ?? '')),
    );
    expect(progress.text).toContain(`CA fingerprint: \`${oldCa.slice(0, 23)}…\` → \`${newCa.slice(0, 23)}…\``);
    // One progress message, edited in place: no second progress post in the thread.
    expect(
      sims.slack
        .thread(OPS_CHANNEL, card.ts)
        .filter((m) => m.thread_ts === card.ts && /aks-rotate-certs\*/.test(m.text ?? '')),
    ).toHaveLength(1);

    const notice = await sims.slack.waitFor(() =>
      sims.slack.messages(OPS_CHANNEL).find((m) => !m.thread_ts && /get-credentials/.test(m.text ?? '')),
    );
    expect(notice.text).toContain('az aks get-credentials --resource-group rg-sim --name sim-aks --overwrite-existing');
  });
});
