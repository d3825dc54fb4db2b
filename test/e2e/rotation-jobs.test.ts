import { randomBytes } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { Redis } from 'ioredis';
import { sandboxEnvironment, startSimulators, type Simulators } from '../../src/sandbox/harness/simulators';
import { silentLogger } from '../../src/util/logger';
import { cardText, click, findCard, requestRotation } from '../helpers/approval-cards';
import { startCertops, type CertopsProcess } from '../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, type E2eStack } from '../helpers/e2e-stack';

// An approved AKS rotation runs on the worker of the real binary (role all), with progress and outcome in Slack.
describe('a rotation runs as a job and reports in Slack', () => {
  let sims: Simulators;
  let certops: CertopsProcess;
  let stack: E2eStack;
  const prefix = `{e2e-jobs-${randomBytes(4).toString('hex')}}`;

  beforeAll(async () => {
    sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
    sims.slack.addChannel({ id: OPS_CHANNEL, name: 'platform-ops' });
    for (const user of Object.values(USERS)) sims.slack.addUser({ ...user });
    sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [USERS.approver2.id] });
    sims.azure.addCluster({ resourceGroup: 'rg-sim', name: 'sim-aks', kubeconfig: () => sims.kube.kubeconfig(), onRotateCertificates: () => sims.kube.rotateCa() });
    const config = {
      slack: { mode: 'socket', defaultChannel: OPS_CHANNEL, roles: { operators: [USERS.requester.id], approvers: [USERS.approver1.id, '@platform-leads'] } },
      redis: { url: REDIS_URL, prefix },
      clusters: [
        {
          name: 'sim',
          kubeconfig: sims.kubeconfigPath,
          channel: OPS_CHANNEL,
          aks: { subscriptionId: sims.azure.subscriptionId, resourceGroup: 'rg-sim', name: 'sim-aks', armEndpoint: sims.azure.armEndpoint },
        },
      ],
    };
    const tuning = { pollIntervalMs: 50, progressIntervalMs: 200, backoffBaseMs: 50, busyRetryMs: 200 };
    certops = await startCertops({ config, env: { ...sandboxEnvironment(sims), REDIS_URL, CERTOPS_WORKER_TUNING: JSON.stringify(tuning) }, role: 'all' });
    stack = { sims, certops, prefix, driver: sims.slack.driver({ socketMode: true }) } as unknown as E2eStack;
  });

  afterAll(async () => {
    await certops?.stop();
    await sims?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
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
      sims.slack.thread(OPS_CHANNEL, card.ts).find((m) => m.thread_ts === card.ts && /aks-rotate-certs\* on \*sim\* succeeded/.test(m.text ?? '')),
    );
    expect(progress.text).toContain(`CA fingerprint: \`${oldCa.slice(0, 23)}…\` → \`${newCa.slice(0, 23)}…\``);
    // One progress message, edited in place: no second progress post in the thread.
    expect(sims.slack.thread(OPS_CHANNEL, card.ts).filter((m) => m.thread_ts === card.ts && /aks-rotate-certs\*/.test(m.text ?? ''))).toHaveLength(1);

    const notice = await sims.slack.waitFor(() => sims.slack.messages(OPS_CHANNEL).find((m) => !m.thread_ts && /get-credentials/.test(m.text ?? '')));
    expect(notice.text).toContain('az aks get-credentials --resource-group rg-sim --name sim-aks --overwrite-existing');
  });
});
