import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { CertopsConfig } from '../config/schema';
import type { ExpiryThresholds } from '../core/expiry';
import type { ApprovalStore } from '../state/approval-store';
import type { KmsRotationHistory } from '../state/kms-rotation-history';
import type { ReencryptionRecords } from '../state/reencryption-record';
import type { LatestScanStore } from '../state/latest-scan';
import { digestKey, type NotificationDedupe } from '../state/notification-dedupe';
import type { DigestScope, DigestSubscription, Subscriptions } from '../state/subscriptions';
import { digestMessages, scopeText, showAllMessages } from './blocks/digest';
import type { SlackMessage } from './blocks/digest-format';
import type { Notifier } from '../slack/notifier/notifier';
import type { Logger } from '../util/logger';
import { byListedSoonest, itemsOf, listedItemsOf, thresholdsOf, type ListedItem } from './certificate-view';
import { certificatesCsv } from './certificates-csv';
import { loadClusterViews } from './cluster-views';
import { buildDigestReport, type DigestClusterInput, type DigestReport } from './digest-report';
import { nextDigestRun, reconcileDigestSchedulers, removeDigestScheduler, upsertDigestScheduler } from './digest-queue';
import { CHART_DAYS, expiryChartSvg } from './expiry-chart-svg';
import { pendingCsrsOrNull, type PendingCsrCounter } from './pending-csrs';
import { renderPng } from './render-png';
import { localDay, sameScope, scopeLabel } from './schedule';

/** A day's claim outlives the day in every time zone, then goes by itself. */
const CLAIM_TTL_SECONDS = 2 * 86400;
/** Show all: lines in the thread before the rest goes to the CSV only; a CSV is attached past CSV_FROM lines. */
export const SHOW_ALL_INLINE = 200;
export const SHOW_ALL_CSV_FROM = 50;

export interface DigestServiceDeps {
  config: CertopsConfig;
  logger: Logger;
  now: () => Date;
  /** Posts the digest and its thread (the process's one notifier). */
  notifier: Pick<Notifier, 'post'>;
  /** Uploads the chart. */
  slack: Pick<WebClient, 'files'>;
  queue: Queue;
  subscriptions: Subscriptions;
  dedupe: NotificationDedupe;
  approvals: ApprovalStore;
  latestScans: LatestScanStore;
  countPendingCsrs: PendingCsrCounter;
  /** certops' own records of KMS key changes and re-encryptions, for the KMS findings. */
  kmsRecords?: { history: KmsRotationHistory; reencryptions: ReencryptionRecords };
}

export type DigestPostOutcome =
  { posted: true; ts: string; day: string } | { posted: false; reason: 'already-posted' | 'unsubscribed'; day: string };

/** Subscriptions with their schedulers, and posting digests (scheduled: once per channel, scope and day). */
export class DigestService {
  constructor(private readonly deps: DigestServiceDeps) {}

  get thresholds(): ExpiryThresholds {
    return thresholdsOf(this.deps.config);
  }

  /** Stores the subscription, then its scheduler (a crash between the two is repaired by reconcile at start-up). */
  async subscribe(sub: DigestSubscription): Promise<{ created: boolean; next?: Date }> {
    const { created } = await this.deps.subscriptions.subscribe(sub);
    await upsertDigestScheduler(this.deps.queue, sub);
    return { created, next: await nextDigestRun(this.deps.queue, sub) };
  }

  /** Removes one scope (or every subscription of the channel) and its schedulers; returns what went. */
  async unsubscribe(channel: string, scope?: DigestScope): Promise<DigestSubscription[]> {
    const current = await this.deps.subscriptions.forChannel(channel);
    const going = scope ? current.filter((s) => sameScope(s.scope, scope)) : current;
    for (const sub of going) await removeDigestScheduler(this.deps.queue, sub);
    await this.deps.subscriptions.unsubscribe(channel, scope);
    return going;
  }

  async list(channel: string): Promise<Array<{ sub: DigestSubscription; next?: Date }>> {
    const subs = await this.deps.subscriptions.forChannel(channel);
    return Promise.all(subs.map(async (sub) => ({ sub, next: await nextDigestRun(this.deps.queue, sub) })));
  }

  async reconcile(): Promise<{ upserted: number; removed: number }> {
    return reconcileDigestSchedulers(this.deps.queue, await this.deps.subscriptions.list());
  }

  /** The digest as of now, for a scope, with live pending counts. */
  async report(scope: DigestScope, day: string): Promise<DigestReport> {
    const { config, logger } = this.deps;
    const views = await loadClusterViews(config, this.deps.latestScans, scope);
    const clusters: DigestClusterInput[] = await Promise.all(
      views.map(async (view) => {
        const cluster = config.clusters.find((c) => c.name === view.name);
        const pendingCsrs = await pendingCsrsOrNull(this.deps.countPendingCsrs, cluster, logger);
        const pendingRequests = (await this.deps.approvals.listPending({ cluster: view.name })).length;
        return {
          ...view,
          pendingCsrs,
          pendingRequests,
          ...(await this.kmsRecordsOf(view.name, cluster?.kms !== undefined)),
        };
      }),
    );
    return buildDigestReport({ day, scope, now: this.deps.now(), thresholds: this.thresholds, clusters });
  }

  private async kmsRecordsOf(cluster: string, hasKms: boolean): Promise<Pick<DigestClusterInput, 'kmsRecords'>> {
    const stores = this.deps.kmsRecords;
    if (!stores || !hasKms) return {};
    const [history, reencryption] = await Promise.all([
      stores.history.list(cluster),
      stores.reencryptions.latest(cluster),
    ]);
    return { kmsRecords: { history, ...(reencryption ? { reencryption } : {}) } };
  }

  /** A scheduled run: skipped when the subscription is gone, and posted at most once per channel, scope and day. */
  async runScheduled(sub: DigestSubscription): Promise<DigestPostOutcome> {
    const day = localDay(this.deps.now(), sub.tz);
    const stored = (await this.deps.subscriptions.forChannel(sub.channel)).find((s) => sameScope(s.scope, sub.scope));
    if (!stored) {
      await removeDigestScheduler(this.deps.queue, sub);
      return { posted: false, reason: 'unsubscribed', day };
    }
    const key = digestKey(stored.channel, day, scopeLabel(stored.scope));
    // Claimed before posting, so a retried or duplicated job cannot post twice; released if posting fails.
    if (!(await this.deps.dedupe.once(key, CLAIM_TTL_SECONDS))) return { posted: false, reason: 'already-posted', day };
    try {
      const ts = await this.post(stored, day);
      return { posted: true, ts, day };
    } catch (err) {
      await this.deps.dedupe.forget(key);
      throw err;
    }
  }

  /** `/certs digest now`: someone asked, so it posts every time and leaves the scheduled digest alone. */
  async postNow(sub: DigestSubscription): Promise<DigestPostOutcome> {
    const day = localDay(this.deps.now(), sub.tz);
    return { posted: true, ts: await this.post(sub, day), day };
  }

  /** Posts the channel message (this must succeed), then the thread overflow and the chart (logged if they fail). */
  private async post(sub: DigestSubscription, day: string): Promise<string> {
    const report = await this.report(sub.scope, day);
    const { main, thread } = digestMessages(report);
    // Through the notifier: paced with every other post in the channel; it logs a channel Slack refuses.
    const { ts } = await this.deps.notifier.post({ channel: sub.channel, text: main.text, blocks: main.blocks });
    const logger = this.deps.logger.child({ channel: sub.channel, day, scope: scopeLabel(sub.scope) });
    try {
      await this.postThread(sub.channel, ts, thread);
      if (sub.chart && !report.empty) await this.uploadChart(sub, report, ts);
    } catch (err) {
      logger.error({ err }, 'the digest was posted but its thread or chart failed');
    }
    logger.info({ ts, expiring: report.expiring.length }, 'digest posted');
    return ts;
  }

  private async postThread(channel: string, threadTs: string, messages: readonly SlackMessage[]): Promise<void> {
    for (const message of messages) {
      await this.deps.notifier.post({ channel, threadTs, text: message.text, blocks: message.blocks });
    }
  }

  private async uploadChart(sub: DigestSubscription, report: DigestReport, threadTs: string): Promise<void> {
    const items = (await loadClusterViews(this.deps.config, this.deps.latestScans, sub.scope)).flatMap((v) =>
      itemsOf(v, report.now, this.thresholds),
    );
    const title = `Certificates and keys expiring in the next ${CHART_DAYS} days · ${scopeText(sub.scope)} · ${report.day}`;
    const keys = report.keys.flatMap(({ key, status }) =>
      key.expiresOn ? [{ name: key.keyName, cluster: key.cluster, expiresOn: key.expiresOn, status }] : [],
    );
    const png = renderPng(
      expiryChartSvg({
        title,
        now: report.now,
        items,
        keys,
        criticalSeconds: this.thresholds.criticalSeconds,
        warningSeconds: this.thresholds.warningSeconds,
      }),
    );
    await this.deps.slack.files.uploadV2({
      channel_id: sub.channel,
      thread_ts: threadTs,
      file: png,
      filename: `certificate-expiry-${report.day}.png`,
      title,
    });
  }

  /** Every certificate and KMS key of the scope, soonest first (Show all). */
  async allItems(scope: DigestScope): Promise<ListedItem[]> {
    const now = this.deps.now();
    const views = await loadClusterViews(this.deps.config, this.deps.latestScans, scope);
    return views.flatMap((v) => listedItemsOf(v, now, this.thresholds)).sort(byListedSoonest);
  }

  /** Show all: the full list in the digest's thread, and as a CSV file when it is long. */
  async showAll(channel: string, threadTs: string, scope: DigestScope): Promise<number> {
    const items = await this.allItems(scope);
    const csv = items.length > SHOW_ALL_CSV_FROM;
    await this.postThread(channel, threadTs, showAllMessages(items, SHOW_ALL_INLINE, csv));
    if (csv) {
      const day = localDay(this.deps.now(), 'UTC');
      await this.deps.slack.files.uploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file: Buffer.from(certificatesCsv(items), 'utf8'),
        filename: `certificates-${scopeLabel(scope)}-${day}.csv`,
        title: `All certificates and KMS keys · ${scopeText(scope)} · ${day}`,
      });
    }
    return items.length;
  }
}
