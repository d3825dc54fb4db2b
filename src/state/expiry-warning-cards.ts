import { z } from 'zod';
import { OPERATION_IDS, type OperationId } from '../core/operations/operation-ids';
import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/** Where a posted expiry warning lives. */
export interface WarningCardRef {
  channel: string;
  ts: string;
}

const isoTime = z.iso.datetime();
const person = z.object({ id: z.string().min(1), name: z.string() });

// The facts a warning was drawn from, as posted: enough to draw it again without a new scan.
const storedItem = z.object({
  subjectId: z.string().min(1),
  name: z.string(),
  locations: z.array(z.string()),
  notAfter: isoTime,
  threshold: z.enum(['expired', 'critical', 'warning', 'ok']),
  advice: z.object({
    what: z.string(),
    consequence: z.string(),
    fix: z.string(),
    operation: z.enum(OPERATION_IDS).optional(),
  }),
  newerKeyVersion: z.boolean().optional(),
});
const storedCard = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  cluster: z.string().min(1),
  items: z.array(storedItem),
});

/** What happened to one subject of a warning since it was posted. */
const itemState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snoozed'), by: person, until: isoTime }),
  z.object({
    kind: z.literal('resolved'),
    requestId: z.string().min(1),
    operation: z.enum(OPERATION_IDS),
    at: isoTime,
    requester: person.optional(),
    approvers: z.array(person),
  }),
]);

export type StoredWarningItem = z.infer<typeof storedItem>;
export type StoredWarningCard = z.infer<typeof storedCard>;
export type WarningItemState = z.infer<typeof itemState>;

/** A card as stored, with each subject's state (subject id → state; absent while nothing happened). */
export interface WarningCardRecord {
  card: StoredWarningCard;
  states: Map<string, WarningItemState>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Long enough for a warning 30 days ahead to be acted on well after its certificate expired.
const TTL_SECONDS = 180 * 86400;

/**
 * Posted expiry warnings: each card's facts and the state of each subject on it (snoozed, resolved), which card
 * a subject was last announced on, and the subjects still open per cluster and fixing operation, so the outcome of
 * a rotation finds the cards it resolves.
 */
export class ExpiryWarningCards {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = TTL_SECONDS,
  ) {}

  private cardKey(ref: WarningCardRef): string {
    return stateKey(this.prefix, 'expiry-card', ref.channel, ref.ts);
  }

  private statesKey(ref: WarningCardRef): string {
    return stateKey(this.prefix, 'expiry-card-states', ref.channel, ref.ts);
  }

  private subjectKey(subjectId: string): string {
    return stateKey(this.prefix, 'expiry-card-subjects', subjectId);
  }

  private openKey(cluster: string, operation: OperationId): string {
    return stateKey(this.prefix, 'expiry-card-open', cluster, operation);
  }

  /** Remembers a posted warning; every subject on it points to this card too (a later threshold posts another). */
  async record(card: StoredWarningCard): Promise<void> {
    const parsed = storedCard.parse(card);
    const ref = { channel: parsed.channel, ts: parsed.ts };
    const multi = this.redis.multi().set(this.cardKey(ref), JSON.stringify(parsed), 'EX', this.ttlSeconds);
    for (const item of parsed.items) {
      multi
        .sadd(this.subjectKey(item.subjectId), JSON.stringify(ref))
        .expire(this.subjectKey(item.subjectId), this.ttlSeconds);
      const operation = item.advice.operation;
      if (operation)
        multi
          .sadd(this.openKey(parsed.cluster, operation), item.subjectId)
          .expire(this.openKey(parsed.cluster, operation), this.ttlSeconds);
    }
    await multi.exec();
  }

  /** The card and its subjects' states; undefined for a card never recorded (or forgotten). */
  async get(ref: WarningCardRef): Promise<WarningCardRecord | undefined> {
    const [json, fields] = await Promise.all([
      this.redis.get(this.cardKey(ref)),
      this.redis.hgetall(this.statesKey(ref)),
    ]);
    if (json === null) return undefined;
    const card = storedCard.parse(JSON.parse(json));
    const states = new Map<string, WarningItemState>();
    for (const [subjectId, value] of Object.entries(fields)) {
      // A state certops cannot read is drawn as no state: the card keeps its buttons rather than failing to draw.
      const parsed = itemState.safeParse(parseJson(value));
      if (parsed.success) states.set(subjectId, parsed.data);
    }
    return { card, states };
  }

  /** Every card a subject was announced on (each threshold it crossed posted one). */
  async cardsOf(subjectId: string): Promise<WarningCardRef[]> {
    const members = await this.redis.smembers(this.subjectKey(subjectId));
    const refs = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
    return members.flatMap((json) => {
      const parsed = refs.safeParse(parseJson(json));
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Records what happened to one subject of a card (one field: a concurrent change of another subject is kept). */
  async setState(ref: WarningCardRef, subjectId: string, state: WarningItemState): Promise<void> {
    const key = this.statesKey(ref);
    await this.redis
      .multi()
      .hset(key, subjectId, JSON.stringify(itemState.parse(state)))
      .expire(key, this.ttlSeconds)
      .exec();
  }

  /** Subjects of the cluster announced with `operation` as their fix and not resolved since. */
  openSubjects(cluster: string, operation: OperationId): Promise<string[]> {
    return this.redis.smembers(this.openKey(cluster, operation));
  }

  async close(cluster: string, operation: OperationId, subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length > 0) await this.redis.srem(this.openKey(cluster, operation), ...subjectIds);
  }
}
