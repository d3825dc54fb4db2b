import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startSimulators, sandboxEnvironment, type Simulators } from '../../src/sandbox/harness/simulators';
import { PLAINTEXT } from '../../src/sandbox/kube/encryption';
import { silentLogger } from '../../src/util/logger';
import { cardText, click, requestRotation } from '../helpers/approval-cards';
import { startCertops, type CertopsProcess } from '../helpers/certops-process';
import { OPS_CHANNEL, REDIS_URL, USERS, type E2eStack } from '../helpers/e2e-stack';

const RG = 'rg-sim';
const AKS_NAME = 'sim-aks';
const KEY = 'etcd-kek';
const NAMESPACES = ['kms-a', 'kms-b', 'kms-c', 'kms-d'];
const PER_NAMESPACE = 400;
// A dead worker's job is taken over after about a second.
const TUNING = {
  jobLockMs: 1_000,
  lockTtlMs: 5_000,
  busyRetryMs: 200,
  pollIntervalMs: 50,
  progressIntervalMs: 100,
  backoffBaseMs: 50,
};

/**
 * The KMS lifecycle from Slack: a bot and a worker of the real binary, the Azure simulator's ARM and Key Vault, and the
 * cluster's simulated API server whose stored secrets the control endpoint reports key by key.
 */
describe('KMS etcd encryption lifecycle through Slack', () => {
  let sims: Simulators;
  let bot: CertopsProcess;
  let worker: CertopsProcess | undefined;
  let stack: E2eStack;
  let launchWorker: () => Promise<CertopsProcess>;
  let prefix: string;

  beforeAll(async () => {
    sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
    sims.slack.addChannel({ id: OPS_CHANNEL, name: 'platform-ops' });
    for (const user of Object.values(USERS)) sims.slack.addUser({ ...user });
    sims.slack.addUserGroup({ id: 'S0APPROVERS', handle: 'platform-leads', users: [USERS.approver2.id] });
    sims.azure.addKey(KEY);
    // ARM's KMS settings decide which key the cluster's API server seals new writes with.
    sims.azure.addCluster({
      resourceGroup: RG,
      name: AKS_NAME,
      kubeconfig: () => sims.kube.kubeconfig(),
      onKmsKeyChange: (version) => sims.kube.encryption.setCurrentKey(version),
      onKmsDisabled: () => sims.kube.encryption.setCurrentKey(PLAINTEXT),
    });
    sims.kube.encryption.setCurrentKey(PLAINTEXT);
    sims.azure.grantKeyPermissions(sims.azure.cluster(RG, AKS_NAME).principalId);
    for (const ns of NAMESPACES) {
      sims.kube.store.namespaces.create({ metadata: { name: ns }, status: { phase: 'Active' } });
      for (let i = 0; i < PER_NAMESPACE; i++)
        sims.kube.store.secrets.create({
          metadata: { name: `s-${i}`, namespace: ns },
          type: 'Opaque',
          data: { v: Buffer.from(String(i)).toString('base64') },
        });
    }
    prefix = `{e2e-kms-${randomBytes(4).toString('hex')}}`;
    const config = {
      slack: {
        mode: 'socket',
        defaultChannel: OPS_CHANNEL,
        roles: { operators: [USERS.requester.id], approvers: [USERS.approver1.id, '@platform-leads'] },
      },
      redis: { url: REDIS_URL, prefix },
      clusters: [
        {
          name: 'sim',
          kubeconfig: sims.kubeconfigPath,
          channel: OPS_CHANNEL,
          aks: {
            subscriptionId: sims.azure.subscriptionId,
            resourceGroup: RG,
            name: AKS_NAME,
            armEndpoint: sims.azure.armEndpoint,
          },
        },
      ],
    };
    const env = { ...sandboxEnvironment(sims), REDIS_URL, CERTOPS_WORKER_TUNING: JSON.stringify(TUNING) };
    bot = await startCertops({ config, env, role: 'bot' });
    launchWorker = () => startCertops({ config, env, role: 'worker' });
    worker = await launchWorker();
    stack = { sims, certops: bot, prefix, driver: sims.slack.driver({ socketMode: true }) } as unknown as E2eStack;
  });

  afterAll(async () => {
    await worker?.stop();
    await bot?.stop();
    await sims?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** Every secret's key version, from the sandbox's control endpoint. */
  async function storedUnder(): Promise<{ versions: string[]; count: number; stale: string[] }> {
    const server = new URL(sims.kube.kubeconfig().match(/server: (\S+)/)?.[1] as string).toString().replace(/\/$/, '');
    const answer = (await (
      await fetch(`${sims.controlUrl}/encryption?server=${encodeURIComponent(server)}`)
    ).json()) as { secrets: Record<string, string>; stale: string[] };
    const versions = Object.values(answer.secrets);
    return { versions: [...new Set(versions)], count: versions.length, stale: answer.stale };
  }

  /** Requested by the requester, approved by two approvers; resolves with the card once the job ended. */
  async function runFromSlack(command: string, reason: string, beforeVotes?: (card: string) => void): Promise<string> {
    const { card } = await requestRotation(stack, command, reason);
    beforeVotes?.(cardText(card));
    await click(stack, USERS.approver1.id, card);
    await click(stack, USERS.approver2.id, card);
    const ended = await sims.slack.waitFor(
      () => sims.slack.messages(OPS_CHANNEL).find((m) => m.ts === card.ts && /— (done|failed)/.test(cardText(m))),
      { timeoutMs: 120_000 },
    );
    return cardText(ended);
  }

  async function pollUntil(check: () => boolean, timeoutMs = 60_000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const clusterPuts = () =>
    sims.azure.requests({ method: 'PUT', pathRegex: new RegExp(`/managedClusters/${AKS_NAME}(\\?|$)`, 'i') }).length;
  const version = (n: number) => sims.azure.keyVersions(KEY)[n]?.kid as string;
  const versionName = (n: number) => version(n).split('/').at(-1) as string;

  it('a key the cluster identity may not use shows the failing pre-flight check on the card before any vote', async () => {
    const identity = sims.azure.cluster(RG, AKS_NAME).principalId;
    sims.azure.revokeKeyAccess(identity);
    try {
      const { card, id } = await requestRotation(
        stack,
        `kms-enable sim key=${version(0)} access=Public`,
        'preflight-denied-story',
      );
      const text = cardText(card);
      expect(text).toContain('Pre-flight found problems: 1 check failed.');
      expect(text).toContain(`❌ the cluster identity ${identity} lacks encrypt and decrypt on the key`);
      expect(text).toContain(`✅ Key \`${version(0)}\` exists.`);
      expect(text).toContain('"text":"Approve"');
      await stack.driver.slashCommand({ userId: USERS.requester.id, channelId: OPS_CHANNEL, text: `cancel ${id}` });
      await sims.slack.waitFor(() =>
        sims.slack.messages(OPS_CHANNEL).find((m) => m.ts === card.ts && cardText(m).includes('Cancelled by')),
      );
    } finally {
      sims.azure.grantKeyPermissions(identity);
    }
  });

  it('kms-enable turns KMS on and every secret ends up stored under the key', async () => {
    let first = '';
    const card = await runFromSlack(
      `kms-enable sim key=${version(0)} access=Public`,
      'enable-story',
      (text) => (first = text),
    );
    expect(first).toContain('*Pre-flight checks*');
    expect(first).not.toContain('Pre-flight found problems');
    expect(first).toContain('✅ The key version is enabled.');
    expect(first).toContain(
      `✅ the cluster identity ${sims.azure.cluster(RG, AKS_NAME).principalId} may encrypt and decrypt with the key.`,
    );
    expect(first).not.toContain('❌');
    expect(card).toContain('— done');
    expect(await storedUnder()).toMatchObject({
      versions: [versionName(0)],
      count: NAMESPACES.length * PER_NAMESPACE,
      stale: [],
    });
    expect(sims.azure.cluster(RG, AKS_NAME).securityProfile?.azureKeyVaultKms).toMatchObject({
      enabled: true,
      keyId: version(0),
    });
  });

  it('kms-change-key "latest" moves every secret to the newest version of the key', async () => {
    sims.azure.rotateKeyDirect(KEY);
    let first = '';
    const card = await runFromSlack('kms-change-key sim key=latest', 'change-story', (text) => (first = text));
    // "latest" is checked as the version it stands for.
    expect(first).toContain(`✅ Key \`${version(1)}\` exists.`);
    expect(card).toContain('— done');
    expect(card).toContain(`Keep version ${versionName(0)} of ${KEY} valid and enabled until the next rotation`);
    expect(await storedUnder()).toMatchObject({ versions: [versionName(1)], stale: [] });
  });

  it('kms-set-vault-access survives a worker killed between disable and enable: the next worker goes on without a second disable', async () => {
    const putsBefore = clusterPuts();
    const { card } = await requestRotation(
      stack,
      `kms-set-vault-access sim access=Private vault=${sims.azure.vaultResource.id}`,
      'vault-story',
    );
    await click(stack, USERS.approver1.id, card);
    await click(stack, USERS.approver2.id, card);
    // KMS is off: the saga is re-encrypting in plain storage. Kill the worker there.
    await pollUntil(() => sims.azure.cluster(RG, AKS_NAME).securityProfile?.azureKeyVaultKms?.enabled === false);
    await worker?.stop('SIGKILL');
    expect(clusterPuts() - putsBefore).toBe(1);
    worker = await launchWorker();
    const ended = await sims.slack.waitFor(
      () => sims.slack.messages(OPS_CHANNEL).find((m) => m.ts === card.ts && /— (done|failed)/.test(cardText(m))),
      { timeoutMs: 120_000 },
    );
    expect(cardText(ended)).toContain('— done');
    // One disable, one enable: the new worker resumed after the disable.
    expect(clusterPuts() - putsBefore).toBe(2);
    expect(sims.azure.cluster(RG, AKS_NAME).securityProfile?.azureKeyVaultKms).toMatchObject({
      enabled: true,
      keyVaultNetworkAccess: 'Private',
      keyVaultResourceId: sims.azure.vaultResource.id,
    });
    expect(sims.azure.vaultResource.publicNetworkAccess).toBe('Disabled');
    expect(await storedUnder()).toMatchObject({ versions: [versionName(1)], stale: [] });
  });

  it('kms-disable turns KMS off and every secret ends up in plain storage', async () => {
    const card = await runFromSlack('kms-disable sim', 'disable-story');
    expect(card).toContain('— done');
    expect(await storedUnder()).toMatchObject({ versions: [PLAINTEXT], stale: [] });
  });
});
