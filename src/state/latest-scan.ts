import { z } from 'zod';
import type { ClusterScan, KmsKeyRecord } from '../core/scan';
import type { CertificateRecord } from '../core/x509';
import type { Logger } from '../util/logger';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';
import { readStoredJson, storedDate } from './stored-json';

/** One cluster's most recent scan and when it finished. */
export interface StoredScan {
  scan: ClusterScan;
  at: Date;
}

interface StoredJson {
  scan: ClusterScan;
  at: string;
}

// The shape `put` writes, every field named: a field the schema left out would be dropped on reading.
const expiryStatus = z.enum(['expired', 'critical', 'warning', 'ok']);

const certificateRecord = z.object({
  name: z.string(),
  source: z.string(),
  locations: z.array(z.string()),
  subject: z.string(),
  subjectCN: z.string(),
  issuer: z.string(),
  issuerCN: z.string(),
  serialNumber: z.string(),
  notBefore: storedDate,
  notAfter: storedDate,
  isCA: z.boolean(),
  dnsNames: z.array(z.string()),
  ipAddresses: z.array(z.string()),
  fingerprint256: z.string(),
  authorityKeyId: z.string().optional(),
  subjectKeyId: z.string().optional(),
  cluster: z.string().optional(),
  externallyManaged: z.boolean().optional(),
  certificateAuthority: z.string().optional(),
}) satisfies z.ZodType<CertificateRecord>;

const kmsKeyRecord = z.object({
  cluster: z.string(),
  keyId: z.string(),
  version: z.string(),
  expiresOn: storedDate.nullable(),
  status: expiryStatus,
  inUse: z.boolean(),
  newerVersion: z.boolean(),
  keyName: z.string(),
  rotationPolicy: z.boolean().nullable(),
  kubernetesVersion: z.string().optional(),
  enabledVersions: z.array(z.string()).optional(),
}) satisfies z.ZodType<KmsKeyRecord>;

const storedScan = z.object({
  scan: z.object({
    cluster: z.string(),
    certificates: z.array(certificateRecord),
    keys: z.array(kmsKeyRecord),
    errors: z.array(
      z.object({
        location: z.string(),
        message: z.string(),
        source: z.string(),
        reason: z.enum(['source_failed', 'unreachable', 'invalid']),
      }),
    ),
    durationSeconds: z.number(),
  }),
  at: storedDate,
}) satisfies z.ZodType<StoredScan>;

/**
 * The last scan of every cluster (one hash, field = cluster), written by the leader's expiry monitor and
 * read by `/certs status`, `/certs expiring` and the digest on any replica. A newer scan replaces the older.
 */
export class LatestScanStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private key(): string {
    return stateKey(this.prefix, 'latest-scan');
  }

  async put(scan: ClusterScan, at: Date): Promise<void> {
    const stored: StoredJson = { scan, at: at.toISOString() };
    await this.redis.hset(this.key(), scan.cluster, JSON.stringify(stored));
  }

  /** The cluster's last scan; undefined when there is none or it cannot be read (logged). */
  async get(cluster: string): Promise<StoredScan | undefined> {
    const json = await this.redis.hget(this.key(), cluster);
    return json === null ? undefined : this.revive(cluster, json);
  }

  /** Every stored cluster whose scan can be read, sorted by name. */
  async all(): Promise<StoredScan[]> {
    const hash = await this.redis.hgetall(this.key());
    return Object.keys(hash)
      .sort()
      .flatMap((cluster) => this.revive(cluster, hash[cluster] as string) ?? []);
  }

  private revive(cluster: string, json: string): StoredScan | undefined {
    return readStoredJson(json, storedScan, { logger: this.logger, key: `${this.key()}#${cluster}` });
  }

  /** Drops a cluster that left the configuration. */
  async delete(cluster: string): Promise<void> {
    await this.redis.hdel(this.key(), cluster);
  }

  /** Drops every stored cluster not in `clusters` (those removed from the configuration). */
  async retainOnly(clusters: readonly string[]): Promise<void> {
    const gone = (await this.redis.hkeys(this.key())).filter((name) => !clusters.includes(name));
    if (gone.length > 0) await this.redis.hdel(this.key(), ...gone);
  }
}
