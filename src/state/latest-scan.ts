import type { ClusterScan, KmsKeyRecord } from '../core/scan';
import type { CertificateRecord } from '../core/x509';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/** One cluster's most recent scan and when it finished. */
export interface StoredScan {
  scan: ClusterScan;
  at: Date;
}

interface StoredJson {
  scan: ClusterScan;
  at: string;
}

function reviveCertificate(record: CertificateRecord): CertificateRecord {
  return { ...record, notBefore: new Date(record.notBefore), notAfter: new Date(record.notAfter) };
}

function reviveKey(key: KmsKeyRecord): KmsKeyRecord {
  return { ...key, expiresOn: key.expiresOn === null ? null : new Date(key.expiresOn) };
}

function revive(json: string): StoredScan {
  const stored = JSON.parse(json) as StoredJson;
  return {
    scan: { ...stored.scan, certificates: stored.scan.certificates.map(reviveCertificate), keys: stored.scan.keys.map(reviveKey) },
    at: new Date(stored.at),
  };
}

/**
 * The last scan of every cluster (one hash, field = cluster), written by the leader's expiry monitor and
 * read by `/certs status`, `/certs expiring` and the digest on any replica. A newer scan replaces the older.
 */
export class LatestScanStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(): string {
    return stateKey(this.prefix, 'latest-scan');
  }

  async put(scan: ClusterScan, at: Date): Promise<void> {
    const stored: StoredJson = { scan, at: at.toISOString() };
    await this.redis.hset(this.key(), scan.cluster, JSON.stringify(stored));
  }

  async get(cluster: string): Promise<StoredScan | undefined> {
    const json = await this.redis.hget(this.key(), cluster);
    return json === null ? undefined : revive(json);
  }

  /** Every stored cluster, sorted by name. */
  async all(): Promise<StoredScan[]> {
    const hash = await this.redis.hgetall(this.key());
    return Object.keys(hash)
      .sort()
      .map((cluster) => revive(hash[cluster] as string));
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
