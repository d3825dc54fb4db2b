import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { attentionOf, type ClusterAttention } from '../../src/core/expiry/attention';
import { DEFAULT_THRESHOLDS } from '../../src/core/expiry';
import { startDemo, type DemoStack } from '../../src/sandbox/demo/demo-stack';
import { AKS_CLUSTER, KUBEADM_CLUSTER } from '../../src/sandbox/demo/demo-config';
import { CHANNELS, PERSONAS } from '../../src/sandbox/demo/personas';
import { LatestScanStore } from '../../src/state/latest-scan';
import { silentLogger } from '../../src/util/logger';
import { plural } from '../../src/util/plural';
import { CLI } from '../helpers/certops-process';

// The demo's story told five ways: the expiry warning cards, /certs expiring, /certs status, the Home tab and the
// digest must name the same certificates and keys with the same counts (issue: "one source for what needs
// attention"). The demo runs as `certops demo` does; this test reads what its page would show, without a browser.

interface MessageView {
  html: string;
  ephemeral: boolean;
}
interface UserState {
  messages: MessageView[];
  home: string;
}

const OSCAR = PERSONAS.operator.id;
const WAIT_MS = 90_000;

/** What a reader sees of rendered HTML: tags gone, entities read. */
function seen(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the demo story, told the same way by every view', () => {
  let demo: DemoStack;
  let attention: ClusterAttention[];

  const api = async (path: string, body?: Record<string, unknown>): Promise<unknown> => {
    const response = await fetch(
      new URL(path, demo.url),
      body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
    );
    return response.json();
  };
  const state = (channel: string) => api(`/api/state?user=${OSCAR}&channel=${channel}`) as Promise<UserState>;
  /** Runs a /certs command in a channel and returns the new ephemeral answer (or new message) as text. */
  const ask = async (channel: string, text: string, ephemeral = true): Promise<string> => {
    const before = (await state(channel)).messages.filter((m) => m.ephemeral === ephemeral).length;
    expect(await api('/api/command', { user: OSCAR, channel, text })).toMatchObject({ ok: true });
    return until(text, async () => {
      const found = (await state(channel)).messages.filter((m) => m.ephemeral === ephemeral);
      return found.length > before ? seen(found.at(-1)?.html ?? '') : undefined;
    });
  };

  beforeAll(async () => {
    demo = await startDemo({ port: 0, cliPath: CLI, csrDelaysMs: [600_000, 600_000] });
    const config = parse(await readFile(demo.configPath, 'utf8')) as { redis: { prefix: string } };
    const redis = new Redis(demo.redis.url);
    try {
      const scans = new LatestScanStore(redis, config.redis.prefix, silentLogger());
      const stored = await until('both clusters scanned', async () => {
        const all = await scans.all();
        return all.length === 2 ? all : undefined;
      });
      // The demo's configuration keeps the default thresholds (critical 7 days, warning 30).
      attention = attentionOf(
        [KUBEADM_CLUSTER, AKS_CLUSTER].map((name) => ({
          name,
          scan: stored.find((s) => s.scan.cluster === name)?.scan,
        })),
        new Date(),
        DEFAULT_THRESHOLDS,
      );
    } finally {
      redis.disconnect();
    }
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
  });

  const of = (cluster: string) => attention.find((a) => a.cluster === cluster) as ClusterAttention;
  const names = (cluster: string) => of(cluster).attention.map((i) => i.name);

  it("the story has what the README promises: the kubeadm API server and shop certificates, the AKS cluster's KMS key with a newer version", () => {
    expect(names(KUBEADM_CLUSTER)).toContain('apiserver');
    expect(of(KUBEADM_CLUSTER).counts.expired).toBeGreaterThan(0);
    expect(of(AKS_CLUSTER).attention.map((i) => [i.kind, i.name, i.status, i.reasons])).toEqual([
      ['key', 'etcd-kms', 'warning', ['warning', 'newer-key-version']],
    ]);
  });

  it('the warning cards name every item that needs attention in each cluster', async () => {
    for (const [cluster, channel] of [
      [KUBEADM_CLUSTER, CHANNELS.ops.id],
      [AKS_CLUSTER, CHANNELS.aks.id],
    ] as const) {
      const cards = await until(`the ${cluster} warning`, async () => {
        const text = (await state(channel)).messages
          .filter((m) => !m.ephemeral)
          .map((m) => seen(m.html))
          .filter((t) => t.includes('Snooze 7 days'))
          .join('\n');
        return names(cluster).every((n) => text.includes(n)) ? text : undefined;
      });
      for (const n of names(cluster)) expect(cards).toContain(n);
    }
    const aks = (await state(CHANNELS.aks.id)).messages.map((m) => seen(m.html)).join('\n');
    expect(aks).toContain('a newer key version exists');
  });

  it('/certs status gives each cluster the counts and the items of the attention source', async () => {
    const status = await ask(CHANNELS.ops.id, '/certs status');
    for (const cluster of attention) {
      expect(status).toContain(`${cluster.counts.expired} expired`);
      for (const n of names(cluster.cluster)) expect(status).toContain(n);
    }
    expect(status).toContain('1 KMS key needs attention: etcd-kms (KMS key');
    expect(status).toContain('a newer key version exists');
    expect(status).not.toMatch(/aks-prod — \S+ 0 expired · \S+ 0 critical · \S+ 0 warning/);
  });

  it('/certs expiring lists exactly the items that need attention, certificates and keys', async () => {
    const all = attention.flatMap((a) => a.attention);
    const keys = all.filter((i) => i.kind === 'key').length;
    const certificates = all.length - keys;
    const expiring = await ask(CHANNELS.ops.id, '/certs expiring');
    expect(expiring).toContain(
      `${plural(certificates, 'certificate')} and ${plural(keys, 'KMS key')} expire within 30 days`,
    );
    for (const item of all) expect(expiring).toContain(item.name);
  });

  it('the Home tab shows the same counts and items per cluster', async () => {
    expect(await api('/api/home', { user: OSCAR })).toMatchObject({ ok: true });
    const home = await until('the Home tab', async () => {
      const html = (await state(CHANNELS.ops.id)).home;
      return html ? seen(html) : undefined;
    });
    for (const cluster of attention) for (const n of names(cluster.cluster)) expect(home).toContain(n);
    expect(home).toContain('1 KMS key needs attention: etcd-kms (KMS key');
    const status = await ask(CHANNELS.ops.id, '/certs status');
    // The counts line of each cluster reads the same in both.
    for (const cluster of attention) {
      const counts = new RegExp(
        `${cluster.counts.expired} expired · \\S* ?${cluster.counts.critical} critical · \\S* ?${cluster.counts.warning} warning · \\S* ?${cluster.counts.ok} ok`,
      );
      expect(home).toMatch(counts);
      expect(status).toMatch(counts);
    }
  });

  it('the digest counts and names the same, the key included', async () => {
    const digest = await ask(CHANNELS.ops.id, '/certs digest now', false);
    const all = attention.flatMap((a) => a.attention);
    for (const item of all) expect(digest).toContain(item.name);
    for (const cluster of attention) {
      expect(digest).toMatch(
        new RegExp(
          `${cluster.counts.expired} expired · \\S* ?${cluster.counts.critical} critical · \\S* ?${cluster.counts.warning} warning · \\S* ?${cluster.counts.ok} ok`,
        ),
      );
    }
    expect(digest).toContain('a newer key version exists');
  });
});
