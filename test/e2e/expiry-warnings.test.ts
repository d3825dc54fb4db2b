import 'reflect-metadata';
import { Redis } from 'ioredis';
import type { SecretObject } from '../../src/sandbox/kube';
import { issueCertificate } from '../../src/sandbox/pki/issue';
import { ActionIds } from '../../src/slack/ids';
import { LatestScanStore } from '../../src/state/latest-scan';
import { silentLogger } from '../../src/util/logger';
import { cardRequestId, waitForEphemeral } from '../helpers/approval-cards';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';

const DAY = 86400_000;
const AKS_CHANNEL = 'C0AKSCHANNEL';

async function tlsSecret(notAfter: Date): Promise<SecretObject> {
  const ca = await issueCertificate({ commonName: 'shop-ca', isCA: true });
  const leaf = await issueCertificate(
    {
      commonName: 'shop.example.com',
      dnsNames: ['shop.example.com'],
      notBefore: new Date(notAfter.getTime() - 90 * DAY),
      notAfter,
    },
    ca,
  );
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    metadata: { namespace: 'shop', name: 'shop-tls' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(leaf.certPem + ca.certPem), 'tls.key': b64(leaf.keyPem) },
  };
}

type Button = { action_id: string; value?: string; text: { text: string } };

function buttonsOf(message: { blocks?: unknown[] }): Button[] {
  return (message.blocks ?? []).flatMap((b) =>
    (b as { type: string }).type === 'actions' ? (b as { elements: Button[] }).elements : [],
  );
}

describe('expiry warnings in Slack', () => {
  let stack: E2eStack;
  const topLevel = () => stack.sims.slack.messages(OPS_CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);

  /** Waits until the running process has finished `count` more scans of the cluster (from its log). */
  async function scansLater(count: number): Promise<void> {
    const scans = () =>
      stack.certops
        .logs()
        .split('\n')
        .filter((line) => line.includes('"msg":"expiry scan finished"')).length;
    const target = scans() + count;
    while (scans() < target) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  beforeAll(async () => {
    const expiresSoon = await tlsSecret(new Date(Date.now() + 5 * DAY));
    stack = await startE2eStack({
      config: (sims) => {
        sims.kube.store.secrets.create(expiresSoon);
        // An AKS cluster (the same kube-sim behind it) whose KMS key expires in 3 days, announced in its own channel.
        sims.slack.addChannel({ id: AKS_CHANNEL, name: 'aks-ops' });
        sims.azure.addKey('etcd-kms', { expiresOn: new Date(Date.now() + 3 * DAY) });
        sims.azure.addCluster({
          resourceGroup: 'rg',
          name: 'aks-sim',
          kms: { keyName: 'etcd-kms' },
          kubeconfig: () => sims.kube.kubeconfig(),
        });
        const aks = {
          subscriptionId: sims.azure.subscriptionId,
          resourceGroup: 'rg',
          name: 'aks-sim',
          armEndpoint: sims.azure.armEndpoint,
        };
        const kms = { keyVaultUrl: sims.azure.keyVaultUrl, keyName: 'etcd-kms' };
        return {
          expiry: { scanInterval: '2s' },
          clusters: [
            { name: 'sim', kubeconfig: sims.kubeconfigPath, channel: OPS_CHANNEL },
            { name: 'aks-sim', kubeconfig: sims.kubeconfigPath, channel: AKS_CHANNEL, aks, kms },
          ],
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('posts one critical warning for a secret expiring in 5 days, with what breaks, the fix and a Snooze button', async () => {
    const warning = await stack.sims.slack.waitFor(() => topLevel()[0], { timeoutMs: 30_000 });
    const text = JSON.stringify(warning.blocks);
    expect(warning.text).toBe('sim: shop.example.com expires in 4d (critical)');
    expect(text).toContain('`secret:shop/shop-tls#tls.crt`');
    expect(text).toContain('issuer that owns secret shop/shop-tls');
    const buttons = buttonsOf(warning);
    expect(buttons.map((b) => b.text.text)).toEqual(['Snooze 7 days']);
    // A secret is not certops' to renew: no Rotate button.
    expect(buttons.some((b) => b.action_id === ActionIds.openRotate)).toBe(false);
  });

  it("warns of the AKS cluster's KMS key with KeyExpired and a Rotate button for kms-rotate-key, credentials from the environment", async () => {
    const warning = await stack.sims.slack.waitFor(() => stack.sims.slack.messages(AKS_CHANNEL)[0], {
      timeoutMs: 30_000,
    });
    const text = JSON.stringify(warning.blocks);
    expect(text).toContain('KMS key `etcd-kms (version');
    expect(text).toContain('the API server stops encrypting: KeyExpired');
    const rotate = buttonsOf(warning).find((b) => b.action_id === ActionIds.openRotate);
    expect(JSON.parse(rotate?.value as string)).toEqual({ cluster: 'aks-sim', operation: 'kms-rotate-key' });
    expect(buttonsOf(warning).filter((b) => b.text.text === 'Snooze 7 days').length).toBeGreaterThan(0);
  });

  it('posts nothing more on the next scans, nor after a restart', async () => {
    await scansLater(2);
    expect(topLevel()).toHaveLength(1);
    await stack.restart();
    await scansLater(1);
    expect(topLevel()).toHaveLength(1);
  });

  it('posts one "expired" message once the secret holds an expired certificate', async () => {
    const expired = await tlsSecret(new Date(Date.now() - DAY));
    const current = stack.sims.kube.store.secrets.get('shop-tls', 'shop') as SecretObject;
    stack.sims.kube.store.secrets.update({ ...current, data: expired.data });
    const message = await stack.sims.slack.waitFor(() => topLevel()[1], { timeoutMs: 30_000 });
    expect(message.text).toBe('sim: shop.example.com expired 1d ago (expired)');
    await scansLater(1);
    expect(topLevel()).toHaveLength(2);
  });

  it('refuses a Snooze from someone without a role, and snoozes for an operator: audited and said in the thread', async () => {
    const message = topLevel()[1] as { ts: string; blocks?: unknown[] };
    const snooze = buttonsOf(message).find((b) => b.text.text === 'Snooze 7 days') as Button;

    await stack.driver.blockAction({
      userId: USERS.outsider.id,
      channelId: OPS_CHANNEL,
      messageTs: message.ts,
      actionId: snooze.action_id,
    });
    const refusal = await stack.sims.slack.waitFor(
      () => stack.sims.slack.ephemerals(OPS_CHANNEL, USERS.outsider.id)[0],
    );
    expect(JSON.stringify(refusal)).toContain('You cannot snooze warnings for cluster sim');

    await stack.driver.blockAction({
      userId: USERS.operator.id,
      channelId: OPS_CHANNEL,
      messageTs: message.ts,
      actionId: snooze.action_id,
    });
    const notice = await stack.sims.slack.waitFor(() =>
      stack.sims.slack.thread(OPS_CHANNEL, message.ts).find((m) => m.ts !== message.ts),
    );
    expect(notice.text).toContain(`<@${USERS.operator.id}> snoozed expiry warnings for \`shop.example.com\` until`);
    // The warning itself says so, keeps its threshold, and no longer offers Snooze.
    const snoozed = await stack.sims.slack.waitFor(() =>
      topLevel().find((m) => m.ts === message.ts && JSON.stringify(m.blocks).includes('*Snoozed* by')),
    );
    expect(JSON.stringify(snoozed.blocks)).toContain(`*Snoozed* by <@${USERS.operator.id}> until <!date^`);
    expect(JSON.stringify(snoozed.blocks)).toContain('*EXPIRED*');
    expect(snoozed.text).toBe('Snoozed: sim: shop.example.com expired 1d ago (expired)');
    expect(buttonsOf(snoozed)).toEqual([]);

    const redis = new Redis(REDIS_URL);
    try {
      const entries = await redis.xrange(`${stack.prefix}:audit`, '-', '+');
      const snoozes = entries.filter(([, fields]) => fields.includes('snooze'));
      expect(snoozes).toHaveLength(1);
      expect(snoozes[0]?.[1]).toEqual(expect.arrayContaining(['actorId', USERS.operator.id, 'cluster', 'sim']));
      const [key] = await redis.keys(`${stack.prefix}:expiry-snooze:*`);
      expect(await redis.ttl(key as string)).toBeGreaterThan(6 * 86400);
    } finally {
      await redis.quit();
    }
  });

  it("marks the KMS key on its warning resolved once a kms-rotate-key request succeeded, requested and approved by whom, and drops the key's buttons", async () => {
    const reason = 'the etcd key expires in 3 days';
    await stack.driver.slashCommand({
      userId: USERS.requester.id,
      channelId: AKS_CHANNEL,
      text: `rotate kms-rotate-key aks-sim ${reason} --confirm aks-sim`,
    });
    const card = await stack.sims.slack.waitFor(
      () =>
        stack.sims.slack.messages(AKS_CHANNEL).find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes(reason)),
      { timeoutMs: 30_000 },
    );
    const requestId = cardRequestId(card) as string;
    expect(requestId).toMatch(/^R[0-9A-Z]+$/);
    for (const approver of [USERS.approver1, USERS.approver2]) {
      await stack.driver.blockAction({
        userId: approver.id,
        channelId: AKS_CHANNEL,
        messageTs: card.ts,
        actionId: ActionIds.approveRequest,
        value: requestId,
      });
    }
    const warningTs = (stack.sims.slack.messages(AKS_CHANNEL)[0] as { ts: string }).ts;
    const resolved = await stack.sims.slack.waitFor(
      () =>
        stack.sims.slack
          .messages(AKS_CHANNEL)
          .find((m) => m.ts === warningTs && JSON.stringify(m.blocks).includes('*Resolved* by request')),
      { timeoutMs: 120_000 },
    );
    const text = JSON.stringify(resolved.blocks);
    expect(text).toContain(`*Resolved* by request \`${requestId}\` (\`kms-rotate-key\`) <!date^`);
    expect(text).toContain(
      `requested by <@${USERS.requester.id}>, approved by <@${USERS.approver1.id}> and <@${USERS.approver2.id}>`,
    );
    // The shop secret on the same card is not the key's: it stays open, with its own Snooze.
    expect(resolved.text).toBe('aks-sim: 2 certificates and keys need attention (2 critical)');
    expect(buttonsOf(resolved).map((b) => b.text.text)).toEqual(['Snooze 7 days']);
    expect(JSON.parse(buttonsOf(resolved)[0]?.value as string)).toMatchObject({ name: 'shop.example.com' });

    // The worker scans the cluster again after the rotation (scheduled scans may be hours apart), so /certs status
    // tells the same story as the warning at once.
    for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const rescans = stack.certops
        .logs()
        .split('\n')
        .filter(
          (l) => l.includes('"msg":"cluster scanned again after the rotation"') && l.includes('"cluster":"aks-sim"'),
        );
      if (rescans.length > 0) break;
      if (Date.now() > until) throw new Error('the worker did not scan aks-sim again after the rotation');
    }
    const redis = new Redis(REDIS_URL);
    const scans = new LatestScanStore(redis as never, stack.prefix, silentLogger());
    try {
      let fresh: Awaited<ReturnType<LatestScanStore['get']>>;
      for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
        fresh = await scans.get('aks-sim');
        const key = fresh?.scan.keys.find((k) => k.inUse);
        if (key && key.status === 'ok' && !key.newerVersion) break;
        if (Date.now() > until)
          throw new Error(`no fresh scan after the rotation: ${JSON.stringify(fresh?.scan.keys)}`);
      }
      expect(fresh?.scan.errors).toEqual([]);
    } finally {
      await redis.quit();
    }
    await stack.driver.slashCommand({ userId: USERS.operator.id, channelId: OPS_CHANNEL, text: 'status aks-sim' });
    const status = await waitForEphemeral(stack, USERS.operator.id, /aks-sim/);
    expect(status).toContain('shop.example.com');
    expect(status).not.toContain('KMS key');
  }, 150_000);
});
