import * as machine from '../core/approvals';
import type { Actor, ApprovalRequest, Refusal, Transition, VoteOutcome } from '../core/approvals';
import type { Authorisation } from '../core/roles';
import { COMPARE_AND_SET_APPROVAL, CREATE_APPROVAL } from './approval-scripts';
import { stateKey } from './keys';
import { luaScript } from './lua-script';
import type { RedisClient } from './redis-connection';

export interface ApprovalStoreOptions {
  /** The configured hash tag, e.g. `{certops}`. */
  prefix: string;
  now?: () => Date;
  /** How long a finished request stays readable (the audit stream keeps the history for longer). */
  retainFinishedSeconds?: number;
  /** Bound on compare-and-set retries; each failed attempt means another writer made progress. */
  maxAttempts?: number;
}

type Outcome = Transition | VoteOutcome;

/**
 * Approval requests in Redis. Every transition re-runs the pure state machine on the stored record and
 * writes the result with one compare-and-set script: the rules live in one place (core/approvals) and a
 * concurrent writer makes the compare fail, so the loser re-reads and re-decides. A script rather than
 * WATCH/MULTI because WATCH belongs to a connection and one ioredis connection serves every concurrent caller.
 */
export class ApprovalStore {
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly retainFinishedSeconds: number;
  private readonly maxAttempts: number;
  private readonly createScript: ReturnType<typeof luaScript>;
  private readonly compareAndSet: ReturnType<typeof luaScript>;

  constructor(
    private readonly redis: RedisClient,
    options: ApprovalStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.now = options.now ?? (() => new Date());
    this.retainFinishedSeconds = options.retainFinishedSeconds ?? 30 * 86400;
    this.maxAttempts = options.maxAttempts ?? 200;
    this.createScript = luaScript(redis, 'certopsCreateApproval', 3, CREATE_APPROVAL);
    this.compareAndSet = luaScript(redis, 'certopsCompareAndSetApproval', 3, COMPARE_AND_SET_APPROVAL);
  }

  private recordKey(id: string): string {
    return stateKey(this.prefix, 'approval', id);
  }

  private pendingKey(): string {
    return stateKey(this.prefix, 'approvals', 'pending');
  }

  private clusterPendingKey(cluster: string): string {
    return stateKey(this.prefix, 'approvals', 'pending', cluster);
  }

  private keysFor(request: Pick<ApprovalRequest, 'id' | 'cluster'>): string[] {
    return [this.recordKey(request.id), this.pendingKey(), this.clusterPendingKey(request.cluster)];
  }

  /** Stores a new pending request; an id already in use is a conflict (ids are random, so it is a bug). */
  async create(request: ApprovalRequest): Promise<Transition> {
    const created = await this.createScript(this.keysFor(request), [JSON.stringify(request), request.id, Date.parse(request.expiresAt)]);
    if (created !== 1) return machine.refuse('conflict', `An approval request with id ${request.id} already exists.`);
    return { ok: true, request };
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const json = await this.redis.get(this.recordKey(id));
    return json === null ? undefined : parseRecord(json);
  }

  /** Pending requests, oldest first, optionally for one cluster. */
  async listPending(filter: { cluster?: string } = {}): Promise<ApprovalRequest[]> {
    const ids = filter.cluster ? await this.redis.smembers(this.clusterPendingKey(filter.cluster)) : await this.redis.zrange(this.pendingKey(), '0', '-1');
    if (ids.length === 0) return [];
    const records = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return records
      .filter((json): json is string => json !== null)
      .map(parseRecord)
      .filter((r) => r.status === 'pending')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Ids of pending requests whose lifetime is over at `now`: the sweeper calls expire(id) for each. */
  async listExpired(now: Date = this.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.pendingKey(), '-inf', String(now.getTime()));
  }

  vote(id: string, actor: Actor, auth: Authorisation): Promise<VoteOutcome> {
    return this.apply(id, (request, now) => machine.vote(request, actor, auth, now));
  }

  reject(id: string, actor: Actor, auth: Authorisation, reason: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.reject(request, actor, auth, reason, now));
  }

  cancel(id: string, actor: Actor): Promise<Transition> {
    return this.apply(id, (request, now) => machine.cancel(request, actor, now));
  }

  expire(id: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.expire(request, now));
  }

  markRunning(id: string, note?: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markRunning(request, now, note));
  }

  markSucceeded(id: string, message: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markSucceeded(request, now, message));
  }

  markFailed(id: string, message: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markFailed(request, now, message));
  }

  /** Runs any pure transition atomically: read, decide, compare-and-set, and again if someone else wrote first. */
  async apply<T extends Outcome>(id: string, transition: (request: ApprovalRequest, now: Date) => T): Promise<T | Refusal> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const json = await this.redis.get(this.recordKey(id));
      if (json === null) return machine.refuse('not-found', `No approval request ${id}: it never existed or was removed after it finished. Open a new request.`);
      const outcome = transition(parseRecord(json), this.now());
      if (!outcome.ok) return outcome;
      const next = outcome.request;
      const ttl = machine.FINAL_STATUSES.has(next.status) ? this.retainFinishedSeconds : 0;
      const written = await this.compareAndSet(this.keysFor(next), [json, JSON.stringify(next), id, next.status === 'pending' ? 1 : 0, ttl]);
      if (written === 1) return outcome;
    }
    return machine.refuse('conflict', `Approval request ${id} is changing too fast to record this; try again.`);
  }
}

function parseRecord(json: string): ApprovalRequest {
  return machine.approvalRequestSchema.parse(JSON.parse(json));
}
