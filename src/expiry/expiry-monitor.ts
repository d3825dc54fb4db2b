import { expiryThresholds } from '../core/expiry';
import type { CertopsConfig, ClusterConfig } from '../config/schema';
import type { ExpiryMonitorPorts } from './expiry-monitor-ports';
import { expiryWarningMessage, type ExpiryWarningItem } from './blocks/expiry-warning';
import type { ClusterScan } from '../sources/cluster-inventory';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { byUrgency, claimCrossings, type Crossing } from './crossings';
import { expiryAdvice } from './expiry-advice';
import { expirySubjects } from './expiry-subject';
import { storedWarningCard } from './warning-cards';
import type { WarningCardRef } from '../state/expiry-warning-cards';
import { jitteredDelayMs, realTimers, type Timers } from './scan-schedule';

export interface ExpiryMonitorOptions extends ExpiryMonitorPorts {
  config: CertopsConfig;
  logger: Logger;
  now?: () => Date;
  timers?: Timers;
  random?: () => number;
  /** Delay before the first round after start (soon, but after the bot settled). */
  firstDelayMs?: number;
}

export interface ClusterRound {
  scan: ClusterScan;
  crossings: Crossing[];
  posted: boolean;
}

/**
 * The leader's expiry monitor: every `expiry.scanInterval` (±10%) it scans each configured cluster,
 * stores the scan, updates the gauges, and announces thresholds newly crossed in the cluster's channel —
 * one message per cluster and round, each threshold of each subject once, across restarts and replicas.
 */
export class ExpiryMonitor {
  readonly name = 'expiry-monitor';
  private readonly now: () => Date;
  private readonly timers: Timers;
  private readonly random: () => number;
  private timer: unknown;
  private running = false;
  private stopped = false;
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ExpiryMonitorOptions) {
    this.now = opts.now ?? (() => new Date());
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.schedule(this.opts.firstDelayMs ?? 1000);
  }

  /** Stops scheduling and waits for a round in progress, so a new leader never overlaps it. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private schedule(delayMs: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.round = this.runRound()
        .then(() => undefined)
        .catch((err: unknown) => this.opts.logger.error({ err: errorMessage(err) }, 'expiry round failed'))
        .finally(() => {
          // A stop and start during the round already scheduled the next one.
          if (this.running && this.timer === undefined)
            this.schedule(jitteredDelayMs(this.opts.config.expiry.scanInterval * 1000, this.random));
        });
    }, delayMs);
  }

  /** One round over every configured cluster, one after the other (scans are heavy on the API servers). */
  async runRound(): Promise<ClusterRound[]> {
    const rounds: ClusterRound[] = [];
    for (const cluster of this.opts.config.clusters) {
      // A lost leadership ends the round between clusters; the new leader starts its own.
      if (this.stopped) break;
      try {
        rounds.push(await this.scanAndWarn(cluster));
      } catch (err) {
        this.opts.logger.error({ cluster: cluster.name, err: errorMessage(err) }, 'expiry scan failed');
      }
    }
    await this.opts.store.retainOnly(this.opts.config.clusters.map((c) => c.name)).catch((err: unknown) => {
      this.opts.logger.warn(
        { err: errorMessage(err) },
        'cannot drop the stored scans of clusters no longer configured',
      );
    });
    return rounds;
  }

  async scanAndWarn(cluster: ClusterConfig): Promise<ClusterRound> {
    const logger = this.opts.logger.child({ cluster: cluster.name });
    const scan = await this.opts.scan(cluster);
    const at = this.now();
    await this.opts.store.put(scan, at);
    this.opts.gauges.update(scan, at);

    const channel = cluster.channel ?? this.opts.config.slack.defaultChannel;
    const thresholds = expiryThresholds(this.opts.config.expiry);
    const summary = {
      certificates: scan.certificates.length,
      keys: scan.keys.length,
      errors: scan.errors.length,
      durationSeconds: scan.durationSeconds,
    };
    if (!channel) {
      // Claiming without a channel would lose the warnings for good once a channel is configured.
      logger.warn(
        summary,
        'expiry scan finished; no channel configured for this cluster (clusters[].channel or slack.defaultChannel), so nothing is announced',
      );
      return { scan, crossings: [], posted: false };
    }
    const crossings = (await claimCrossings(expirySubjects(scan, at, thresholds), this.opts.ledger)).sort(byUrgency);
    logger.info({ ...summary, crossings: crossings.length }, 'expiry scan finished');
    if (crossings.length === 0) return { scan, crossings, posted: false };

    const items: ExpiryWarningItem[] = crossings.map((c) => ({ ...c, advice: expiryAdvice(c.subject, cluster) }));
    let ref: WarningCardRef | void;
    try {
      ref = await this.opts.post(channel, expiryWarningMessage(cluster.name, items));
    } catch (err) {
      logger.error(
        { err: errorMessage(err), channel },
        'cannot post the expiry warning; it is retried at the next scan',
      );
      await Promise.all(crossings.map((c) => this.opts.ledger.release(c.subject.id, c.threshold)));
      return { scan, crossings, posted: false };
    }
    logger.info(
      { channel, subjects: crossings.map((c) => `${c.subject.name}:${c.threshold}`) },
      'expiry warning posted',
    );
    if (ref && this.opts.cards) {
      // The warning is out either way; without its facts stored it only misses later redraws (Snooze still replies).
      await this.opts.cards
        .record(storedWarningCard(ref, cluster.name, items))
        .catch((err: unknown) =>
          logger.warn(
            { err: errorMessage(err), channel },
            'cannot store the posted expiry warning; Snooze and rotations will not redraw it',
          ),
        );
    }
    return { scan, crossings, posted: true };
  }
}
