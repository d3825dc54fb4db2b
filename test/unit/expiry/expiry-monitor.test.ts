import { configSchema, type CertopsConfig, type ClusterConfig } from '../../../src/config/schema';
import { ExpiryMonitor } from '../../../src/expiry/expiry-monitor';
import type { Timers } from '../../../src/expiry/scan-schedule';
import type { ExpiryWarningMessage } from '../../../src/expiry/blocks/expiry-warning';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';
import { silentLogger } from '../../../src/util/logger';
import { cert, inDays, MemoryLedger, NOW } from './fixtures';

function config(clusters: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): CertopsConfig {
  return configSchema.parse({ clusters: clusters.map((c) => ({ kubeconfig: '/dev/null', ...c })), ...extra });
}

/** Timers the test fires by hand: no waiting, and the requested delays are visible. */
class ManualTimers implements Timers {
  pending: Array<{ callback: () => void; ms: number }> = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const entry = { callback, ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }
  fire(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no timer pending');
    next.callback();
  }
}

interface Harness {
  monitor: ExpiryMonitor;
  posts: Array<{ channel: string; message: ExpiryWarningMessage }>;
  stored: ClusterScan[];
  gauged: ClusterScan[];
  ledger: MemoryLedger;
  timers: ManualTimers;
  scans: Map<string, ClusterScan>;
  failPosts: { value: boolean };
}

function harness(cfg: CertopsConfig): Harness {
  const h = {
    posts: [],
    stored: [],
    gauged: [],
    ledger: new MemoryLedger(),
    timers: new ManualTimers(),
    scans: new Map<string, ClusterScan>(),
    failPosts: { value: false },
  } as unknown as Harness;
  h.monitor = new ExpiryMonitor({
    config: cfg,
    logger: silentLogger(),
    now: () => NOW,
    timers: h.timers,
    random: () => 1,
    firstDelayMs: 50,
    scan: (cluster: ClusterConfig) =>
      Promise.resolve(
        h.scans.get(cluster.name) ?? {
          cluster: cluster.name,
          certificates: [],
          keys: [],
          errors: [],
          durationSeconds: 0.1,
        },
      ),
    store: {
      put: (scan) => {
        h.stored.push(scan);
        return Promise.resolve();
      },
      retainOnly: () => Promise.resolve(),
    },
    gauges: { update: (scan) => void h.gauged.push(scan) },
    ledger: h.ledger,
    post: (channel, message) => {
      if (h.failPosts.value) return Promise.reject(new Error('channel_not_found'));
      h.posts.push({ channel, message });
      return Promise.resolve();
    },
  });
  return h;
}

function scanWith(cluster: string, certificates: ClusterScan['certificates']): ClusterScan {
  return { cluster, certificates, keys: [], errors: [], durationSeconds: 0.5 };
}

describe('expiry monitor', () => {
  it('stores and gauges every scan, and posts one message per cluster with every crossing in it', async () => {
    const h = harness(
      config([{ name: 'prod', channel: 'C0PROD' }, { name: 'dev' }], { slack: { defaultChannel: 'C0DEFAULT' } }),
    );
    h.scans.set(
      'prod',
      scanWith('prod', [
        cert('web', inDays(3)),
        cert('api', inDays(20)),
        cert('old', inDays(-1)),
        cert('fine', inDays(200)),
      ]),
    );
    h.scans.set('dev', scanWith('dev', [cert('dev-web', inDays(10))]));

    const rounds = await h.monitor.runRound();

    expect(h.stored.map((s) => s.cluster)).toEqual(['prod', 'dev']);
    expect(h.gauged.map((s) => s.cluster)).toEqual(['prod', 'dev']);
    expect(h.posts.map((p) => p.channel)).toEqual(['C0PROD', 'C0DEFAULT']);
    expect(rounds[0]?.crossings.map((c) => `${c.subject.name}:${c.threshold}`)).toEqual([
      'old:expired',
      'web:critical',
      'api:warning',
    ]);
    expect(h.posts[0]?.message.text).toContain('prod: 3 certificates');
  });

  it('posts nothing on the next scans when nothing new crossed', async () => {
    const h = harness(config([{ name: 'prod', channel: 'C0PROD' }]));
    h.scans.set('prod', scanWith('prod', [cert('web', inDays(3))]));
    await h.monitor.runRound();
    await h.monitor.runRound();
    await h.monitor.runRound();
    expect(h.posts).toHaveLength(1);
  });

  it('tries again at the next scan when Slack refused the message', async () => {
    const h = harness(config([{ name: 'prod', channel: 'C0PROD' }]));
    h.scans.set('prod', scanWith('prod', [cert('web', inDays(3))]));
    h.failPosts.value = true;
    const [failed] = await h.monitor.runRound();
    expect(failed?.posted).toBe(false);
    h.failPosts.value = false;
    await h.monitor.runRound();
    expect(h.posts).toHaveLength(1);
  });

  it('announces nothing (and claims nothing) for a cluster without a channel', async () => {
    const h = harness(config([{ name: 'prod' }]));
    h.scans.set('prod', scanWith('prod', [cert('web', inDays(3))]));
    await h.monitor.runRound();
    expect(h.posts).toEqual([]);
    expect(h.ledger.claimed.size).toBe(0);
    expect(h.stored).toHaveLength(1);
  });

  it('scans soon after start, then every interval with jitter, and stops scheduling when stopped', async () => {
    const h = harness(config([{ name: 'prod', channel: 'C0PROD' }], { expiry: { scanInterval: '1h' } }));
    h.monitor.start();
    expect(h.timers.pending.map((p) => p.ms)).toEqual([50]);
    h.timers.fire();
    // stop() waits for the round in progress and leaves no timer behind.
    await h.monitor.stop();
    expect(h.stored).toHaveLength(1);
    expect(h.timers.pending).toEqual([]);
  });

  it('schedules the next round after the interval ±10%', async () => {
    const h = harness(config([{ name: 'prod', channel: 'C0PROD' }], { expiry: { scanInterval: '1h' } }));
    h.monitor.start();
    h.timers.fire();
    // random() = 1 is the top of the ±10% band.
    while (h.timers.pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(h.timers.pending.map((p) => p.ms)).toEqual([3_960_000]);
    expect(h.stored).toHaveLength(1);
    await h.monitor.stop();
  });
});
