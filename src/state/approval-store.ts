import * as machine from '../core/approvals';
import type {
  Actor,
  ApprovalRequest,
  CancelVoteOutcome,
  JobStep,
  Refusal,
  Transition,
  VoteOutcome,
} from '../core/approvals';
import type { Authorisation } from '../core/roles';
import { randomUUID } from 'node:crypto';
import { COMPARE_AND_SET_APPROVAL, CREATE_APPROVAL } from './approval-scripts';
import { type Fence, fencedCall, unfenced } from './fence';
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

type Outcome = Transition | VoteOutcome | CancelVoteOutcome;

/** How long an operation id is remembered: far longer than any reconnect that re-sends its command. */
const OPERATION_TTL_SECONDS = 3600;

/**
 * Approval requests in Redis. Every transition re-runs the pure state machine on the stored record and
 * writes the result with one compare-and-set script: the rules live in one place (core/approvals) and a
 * concurrent writer makes the compare fail, so the loser re-reads and re-decides. A script rather than
 * WATCH/MULTI because WATCH belongs to a connection and one ioredis connection serves every concurrent caller.
 * Every call carries an operation id (given, or made here): ioredis re-sends a command whose reply was lost when the
 * connection dropped, and the script answers the re-sent one as it answered the first, so nothing happens twice.
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
    this.createScript = luaScript(redis, 'certopsCreateApprovalOnce', 4, CREATE_APPROVAL);
    this.compareAndSet = luaScript(redis, 'certopsCompareAndSetApprovalOnce', 7, COMPARE_AND_SET_APPROVAL);
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

  private approvedKey(): string {
    return stateKey(this.prefix, 'approvals', 'approved');
  }

  private operationKey(operationId: string): string {
    return stateKey(this.prefix, 'approval-op', operationId);
  }

  private keysFor(request: Pick<ApprovalRequest, 'id' | 'cluster'>): string[] {
    return [this.recordKey(request.id), this.pendingKey(), this.clusterPendingKey(request.cluster)];
  }

  /** Stores a new pending request; an id already in use is a conflict (ids are random, so it is a bug). */
  async create(request: ApprovalRequest, operationId: string = randomUUID()): Promise<Transition> {
    const keys = [...this.keysFor(request), this.operationKey(operationId)];
    const created = await this.createScript(keys, [
      JSON.stringify(request),
      request.id,
      Date.parse(request.expiresAt),
      OPERATION_TTL_SECONDS,
    ]);
    if (created !== 1) return machine.refuse('conflict', `An approval request with id ${request.id} already exists.`);
    return { ok: true, request };
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const json = await this.redis.get(this.recordKey(id));
    return json === null ? undefined : parseRecord(json);
  }

  /** Pending requests, oldest first, optionally for one cluster. */
  async listPending(filter: { cluster?: string } = {}): Promise<ApprovalRequest[]> {
    const ids = filter.cluster
      ? await this.redis.smembers(this.clusterPendingKey(filter.cluster))
      : await this.redis.zrange(this.pendingKey(), '0', '-1');
    if (ids.length === 0) return [];
    const records = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return records
      .filter((json): json is string => json !== null)
      .map(parseRecord)
      .filter((r) => r.status === 'pending')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Ids of requests approved and not yet picked up by a worker (the repair task finishes those left behind). */
  async listApproved(): Promise<string[]> {
    return this.redis.smembers(this.approvedKey());
  }

  /** Ids of pending requests whose lifetime is over at `now`: the sweeper calls expire(id) for each. */
  async listExpired(now: Date = this.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.pendingKey(), '-inf', String(now.getTime()));
  }

  vote(id: string, actor: Actor, auth: Authorisation, operationId?: string): Promise<VoteOutcome> {
    return this.apply(id, (request, now) => machine.vote(request, actor, auth, now), { operationId });
  }

  reject(id: string, actor: Actor, auth: Authorisation, reason: string, operationId?: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.reject(request, actor, auth, reason, now), { operationId });
  }

  cancel(id: string, actor: Actor, operationId?: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.cancel(request, actor, now), { operationId });
  }

  expire(id: string, operationId?: string): Promise<Transition> {
    return this.apply(id, (request, now) => machine.expire(request, now), { operationId });
  }

  /** The worker's transitions carry its fence: a worker that lost its lease records nothing. */
  markRunning(id: string, note?: string, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markRunning(request, now, note), { fence });
  }

  markSucceeded(id: string, message: string, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markSucceeded(request, now, message), { fence });
  }

  markFailed(id: string, message: string, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markFailed(request, now, message), { fence });
  }

  /** The job's current step (fenced like every worker write). */
  recordStep(id: string, step: JobStep, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request) => machine.recordStep(request, step), { fence });
  }

  recordRetry(id: string, retry: { attempt: number; cause: string; nextAt: Date }, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request, now) => machine.recordRetry(request, now, retry), { fence });
  }

  /** One "Cancel job" vote; the bot's write, so unfenced. */
  voteCancel(id: string, actor: Actor, auth: Authorisation, operationId?: string): Promise<CancelVoteOutcome> {
    return this.apply(id, (request, now) => machine.voteCancel(request, actor, auth, now), { operationId });
  }

  markJobCancelled(id: string, fence?: Fence): Promise<Transition> {
    return this.apply(id, (request, now) => machine.markJobCancelled(request, now), { fence });
  }

  linkRetry(id: string, retryId: string, actor: Actor): Promise<Transition> {
    return this.apply(id, (request, now) => machine.linkRetry(request, retryId, actor, now));
  }

  /**
   * Runs any pure transition atomically: read, decide, compare-and-set, and again if someone else wrote first.
   * A fenced call whose fence no longer holds throws LeaseLostError and changes nothing.
   */
  async apply<T extends Outcome>(
    id: string,
    transition: (request: ApprovalRequest, now: Date) => T,
    options: { operationId?: string; fence?: Fence } = {},
  ): Promise<T | Refusal> {
    const opKey = this.operationKey(options.operationId ?? randomUUID());
    const fence = options.fence ?? unfenced(this.recordKey(id));
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const json = await this.redis.get(this.recordKey(id));
      if (json === null)
        return machine.refuse(
          'not-found',
          `No approval request ${id}: it never existed or was removed after it finished. Open a new request.`,
        );
      const outcome = transition(parseRecord(json), this.now());
      if (!outcome.ok) return outcome;
      const next = outcome.request;
      const ttl = machine.FINAL_STATUSES.has(next.status) ? this.retainFinishedSeconds : 0;
      const keys = [...fence.keys, ...this.keysFor(next), this.approvedKey(), opKey];
      const args = [
        ...fence.values,
        json,
        JSON.stringify(next),
        id,
        next.status === 'pending' ? 1 : 0,
        ttl,
        next.status === 'approved' ? 1 : 0,
        OPERATION_TTL_SECONDS,
      ];
      const written = await fencedCall(`recording ${next.status} for ${id}`, () => this.compareAndSet(keys, args));
      if (written === 1) return outcome;
      // This very operation wrote before (its reply was lost and the command re-sent): answer what it decided then.
      if (written === 2) return outcome;
    }
    return machine.refuse('conflict', `Approval request ${id} is changing too fast to record this; try again.`);
  }
}

function parseRecord(json: string): ApprovalRequest {
  return machine.approvalRequestSchema.parse(JSON.parse(json));
}
