import { ApiException, V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from '../util/logger';
import { RepeatingStep } from '../util/repeating-step';

/** The three Lease calls the elector makes (CoordinationV1Api provides them). */
export type LeaseApi = Pick<
  CoordinationV1Api,
  'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'
>;

export interface LeaseElectorOptions {
  namespace: string;
  /** The Lease object's name. */
  name: string;
  /** This replica's holderIdentity; unique per process. */
  identity: string;
  logger: Logger;
  /** How long a holder's claim lasts after its last renewal. Default 15 s. */
  leaseDurationSeconds?: number;
  /** A leader that cannot renew for this long steps down (before others may take over). Default 2/3 of the duration. */
  renewDeadlineMs?: number;
  /** How often the campaign runs. Default a third of the duration. */
  intervalMs?: number;
  now?: () => Date;
  onAcquired?: () => void;
  /** Called when leadership is lost (taken over, conflict on renewal, or renewals failing past the deadline). */
  onLost?: () => void;
}

function isStatus(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

function millis(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = (value instanceof Date ? value : new Date(String(value))).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Leader election with a coordination.k8s.io Lease, the way Kubernetes controllers do it: the holder renews
 * `renewTime`; another replica takes over only once `renewTime + leaseDurationSeconds` has passed; every
 * write carries the resourceVersion just read, so of two replicas racing for the Lease the API server lets
 * one win and answers the other 409.
 */
export class LeaseElector {
  private readonly durationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly intervalMs: number;
  private readonly now: () => Date;
  private leading = false;
  private lastRenewedAt = 0;
  private readonly campaign: RepeatingStep;

  constructor(
    private readonly api: LeaseApi,
    private readonly options: LeaseElectorOptions,
  ) {
    this.durationSeconds = options.leaseDurationSeconds ?? 15;
    this.renewDeadlineMs = options.renewDeadlineMs ?? Math.floor((this.durationSeconds * 1000 * 2) / 3);
    this.intervalMs = options.intervalMs ?? Math.max(1, Math.floor((this.durationSeconds * 1000) / 3));
    this.campaign = new RepeatingStep(this.intervalMs, () => this.tick());
    this.now = options.now ?? (() => new Date());
  }

  get isLeader(): boolean {
    return this.leading;
  }

  get identity(): string {
    return this.options.identity;
  }

  /** One campaign step; start() runs it on a timer, tests call it directly. */
  async tick(): Promise<void> {
    try {
      const current = await this.read();
      if (!current) {
        await this.write(undefined, this.claim(undefined));
        return;
      }
      const spec = current.spec ?? {};
      const mine = spec.holderIdentity === this.options.identity;
      if (mine) {
        await this.write(current, this.leading ? this.renewal(current) : this.claim(current));
        return;
      }
      if (this.leading) {
        this.lose(`the Lease is held by ${spec.holderIdentity ?? 'nobody'} now`);
        return;
      }
      if (this.isFree(current)) await this.write(current, this.claim(current));
    } catch (err) {
      if (isStatus(err, 409)) {
        // Someone else wrote the Lease between our read and our write: they won.
        if (this.leading) this.lose('conflict while renewing the Lease: another replica wrote it');
        return;
      }
      // An API error proves nothing either way; keep leading until our last renewal is too old to trust.
      if (this.leading && this.now().getTime() - this.lastRenewedAt >= this.renewDeadlineMs) {
        this.lose(`cannot renew the Lease: ${err instanceof Error ? err.message : String(err)}`);
      } else if (!this.leading) {
        this.options.logger.warn(
          { err, lease: this.leaseName },
          'leader election: cannot read or claim the Lease; retrying',
        );
      }
    }
  }

  start(): void {
    this.campaign.start();
  }

  /** Stops campaigning and hands the Lease over at once (if we hold it) by clearing holderIdentity. */
  async stop(): Promise<void> {
    await this.campaign.stop();
    if (!this.leading) return;
    this.leading = false;
    try {
      const current = await this.read();
      if (current?.spec?.holderIdentity !== this.options.identity) return;
      const now = new V1MicroTime(this.now().getTime());
      const { holderIdentity: _released, ...rest } = current.spec;
      await this.api.replaceNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
        body: { ...current, spec: { ...rest, renewTime: now } },
      });
      this.options.logger.info({ lease: this.leaseName, identity: this.options.identity }, 'released the leader Lease');
    } catch (err) {
      // Not fatal: the Lease expires by itself after leaseDurationSeconds.
      this.options.logger.warn(
        { err, lease: this.leaseName },
        'could not release the leader Lease; it expires by itself',
      );
    }
  }

  private get leaseName(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace });
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  /** Released (no holder) or not renewed within its duration. */
  private isFree(lease: V1Lease): boolean {
    const spec = lease.spec ?? {};
    if (!spec.holderIdentity) return true;
    const renewed = millis(spec.renewTime) ?? millis(spec.acquireTime);
    if (renewed === undefined) return true;
    const duration = (spec.leaseDurationSeconds ?? this.durationSeconds) * 1000;
    return this.now().getTime() >= renewed + duration;
  }

  /** The Lease with this replica as holder: a new term (acquireTime now, one more transition if it changes hands). */
  private claim(current: V1Lease | undefined): V1Lease {
    const now = new V1MicroTime(this.now().getTime());
    const spec = current?.spec ?? {};
    const changesHands = current !== undefined && spec.holderIdentity !== this.options.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...(current?.metadata ?? {}), name: this.options.name, namespace: this.options.namespace },
      spec: {
        ...spec,
        holderIdentity: this.options.identity,
        leaseDurationSeconds: this.durationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (changesHands ? 1 : 0),
      },
    };
  }

  private renewal(current: V1Lease): V1Lease {
    return {
      ...current,
      spec: {
        ...current.spec,
        leaseDurationSeconds: this.durationSeconds,
        renewTime: new V1MicroTime(this.now().getTime()),
      },
    };
  }

  /** Creates or replaces (with the resourceVersion just read); a 409 surfaces to tick() as a lost race. */
  private async write(current: V1Lease | undefined, body: V1Lease): Promise<void> {
    const at = this.now().getTime();
    if (current)
      await this.api.replaceNamespacedLease({ name: this.options.name, namespace: this.options.namespace, body });
    else await this.api.createNamespacedLease({ namespace: this.options.namespace, body });
    this.lastRenewedAt = at;
    if (this.leading) return;
    this.leading = true;
    this.options.logger.info({ lease: this.leaseName, identity: this.options.identity }, 'became leader');
    this.options.onAcquired?.();
  }

  private lose(why: string): void {
    this.leading = false;
    this.options.logger.warn({ lease: this.leaseName, identity: this.options.identity, why }, 'lost leadership');
    this.options.onLost?.();
  }
}
