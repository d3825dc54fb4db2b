import type { ExpiryWarningMessage } from './blocks/expiry-warning';
import type { ClusterConfig } from '../config/schema';
import type { ClusterScan } from '../sources/cluster-inventory';
import type { StoredWarningCard, WarningCardRef } from '../state/expiry-warning-cards';
import type { WarningLedger } from './crossings';

/** The monitor's edges: the bot wires Kubernetes, Redis, Prometheus and Slack; tests wire memory. */
export interface ExpiryMonitorPorts {
  scan(cluster: ClusterConfig): Promise<ClusterScan>;
  store: { put(scan: ClusterScan, at: Date): Promise<void>; retainOnly(clusters: readonly string[]): Promise<void> };
  gauges: { update(scan: ClusterScan, now: Date): void };
  ledger: WarningLedger;
  /** Posts the warning; where it landed, when Slack said, so the card can follow what happens to its subjects. */
  post(channel: string, message: ExpiryWarningMessage): Promise<WarningCardRef | void>;
  /** Remembers each posted card's facts (optional: without it, snoozes and rotations only reply). */
  cards?: { record(card: StoredWarningCard): Promise<void> };
}
