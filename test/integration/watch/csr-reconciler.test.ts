import { WebClient } from '@slack/web-api';
import { configSchema } from '../../../src/config/schema';
import { clusterCsrApi } from '../../../src/csr/cluster-csr-api';
import { CsrCards } from '../../../src/csr/csr-cards';
import { csrGroupStore } from '../../../src/csr/csr-group-message';
import { CsrReconciler } from '../../../src/csr/csr-reconciler';
import { OpenCsrIndex } from '../../../src/state/open-csr-index';
import { KubeSim } from '../../../src/sandbox/kube';
import { SlackSim } from '../../../src/sandbox/slack';
import { Notifier } from '../../../src/slack/notifier/notifier';
import { ApprovalStore } from '../../../src/state/approval-store';
import { CsrMessageMap } from '../../../src/state/csr-message-map';
import { silentLogger } from '../../../src/util/logger';
import { kubeCsrWatchSource } from '../../../src/watch/csr-watch-source';
import { CsrWatcher } from '../../../src/watch/csr-watcher';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';
import { createClientCsr, csrApi, simKubeConfig, until } from './helpers';

const CHANNEL = 'C0CSRS';

describe('CSR reconciler: restarts and relists post nothing twice and miss nothing', () => {
  let kube: KubeSim;
  let slack: SlackSim;
  let testRedis: TestRedis;

  beforeEach(async () => {
    kube = await KubeSim.start();
    slack = await SlackSim.start({ rateLimit: { enabled: false } });
    slack.addChannel({ id: CHANNEL, name: 'csrs' });
    testRedis = await openTestRedis('csr-reconciler');
  });
  afterEach(async () => {
    await testRedis.cleanup();
    await slack.stop();
    await kube.stop();
  });

  /** One "bot process": watcher + reconciler over the shared Redis; the burst window is flushed by hand. */
  function startBot() {
    const config = configSchema.parse({ clusters: [{ name: 'sim', kubeconfig: '/unused', channel: CHANNEL }] });
    const cluster = config.clusters[0] as (typeof config.clusters)[number];
    const kc = simKubeConfig(kube);
    const api = { ...clusterCsrApi(cluster, CHANNEL, kc), source: kubeCsrWatchSource(kc) };
    const { redis, prefix } = testRedis;
    const notifier = new Notifier(
      new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true }),
      { logger: silentLogger(), minIntervalMs: 0 },
    );
    const deps = {
      csrMessages: new CsrMessageMap(redis, prefix),
      groups: csrGroupStore(redis, prefix, silentLogger()),
      openIndex: new OpenCsrIndex(redis, prefix),
    };
    const cards = new CsrCards({
      ...deps,
      notifier,
      approvals: new ApprovalStore(redis, { prefix }),
      now: () => new Date(),
    });
    const windows: Array<() => void> = [];
    const reconciler = new CsrReconciler({
      ...deps,
      api,
      config,
      cards,
      notifier,
      logger: silentLogger(),
      autoApprove: () => Promise.resolve(false),
      timers: { setTimeout: (fn) => windows.push(fn), clearTimeout: () => undefined },
    });
    const watcher = new CsrWatcher({
      source: api.source,
      handler: reconciler,
      logger: silentLogger(),
      sleep: () => Promise.resolve(),
    });
    watcher.start();
    return {
      watcher,
      reconciler,
      stop: async () => {
        await watcher.stop();
        await reconciler.flush();
        await notifier.idle();
      },
    };
  }

  const texts = () => slack.messages(CHANNEL).map((m) => `${m.text}\n${JSON.stringify(m.blocks)}`);
  const mentions = (name: string) =>
    texts().filter((t) => t.includes(`\`${name}\``) || t.includes(`CSR ${name} on`)).length;

  it('groups a burst into one message, and after a restart posts only the CSRs that arrived meanwhile', async () => {
    const api = csrApi(kube);
    const first = startBot();
    await until(() => kube.openWatches() === 1);
    for (const name of ['b1', 'b2', 'b3']) await createClientCsr(api, name);
    await until(() => first.reconciler.buffered === 3);
    await first.reconciler.flush();
    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(texts()[0]).toContain('3 CSRs on sim');

    await first.stop();
    await createClientCsr(api, 'while-away');
    await api.deleteCertificateSigningRequest({ name: 'b2' });

    const second = startBot();
    await until(() => second.watcher.lists === 1 && kube.openWatches() === 1);
    await second.reconciler.flush();
    await until(() => slack.messages(CHANNEL).length === 2);
    for (const name of ['b1', 'b2', 'b3', 'while-away']) expect(mentions(name)).toBe(1);
    // The CSR deleted while certops was away: its line in the group now says so.
    await until(() => (slack.messages(CHANNEL)[0]?.edits.length ?? 0) > 0);
    expect(JSON.stringify(slack.messages(CHANNEL)[0]?.blocks)).toMatch(/b2.*gone/);
    await second.stop();
  });
});
