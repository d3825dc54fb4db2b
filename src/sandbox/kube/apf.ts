import { createHash } from 'node:crypto';
import {
  apfUids,
  DEFAULT_FLOW_SCHEMAS,
  DEFAULT_PRIORITY_LEVELS,
  DEFAULT_SERVER_CONCURRENCY_LIMIT,
  nominalSeats,
  type PriorityLevelSpec,
} from './apf-config';
import { RetryAfterTracker } from './apf-retry-after';
import type { UserInfo } from './types';

export interface LevelSettings {
  seats?: number;
  queues?: number;
  handSize?: number;
  queueLengthLimit?: number;
}

export interface ApfSettings {
  enabled: boolean;
  /** Seats shared by every limited level, divided by their shares unless a level names its own seats. */
  serverConcurrencyLimit: number;
  levels: Record<string, LevelSettings>;
  /** How long a mutating request keeps its seat besides the handler's own time: the storage write. */
  mutatingWorkMs: number;
  /** Longest wait in a queue before the request is rejected (a quarter of the 60 s request timeout). */
  queueWaitMs: number;
}

const DEFAULT_SETTINGS: ApfSettings = {
  enabled: true,
  serverConcurrencyLimit: DEFAULT_SERVER_CONCURRENCY_LIMIT,
  levels: {},
  mutatingWorkMs: 0,
  queueWaitMs: 15_000,
};

export interface ApfRequest {
  user: UserInfo;
  /** Seats the work estimator gives the request (1 for most, more for big lists). */
  seats: number;
  /** Watches hold no seat once started (their initialisation is instant here). */
  longRunning: boolean;
}

interface Classified {
  flowSchema: string;
  priorityLevel: string;
  headers: Record<string, string>;
}

export type Admission =
  | (Classified & { admitted: true; queuedMs: number; release(): void })
  | (Classified & { admitted: false; retryAfterSeconds: number; reason: 'queue-full' | 'time-out' });

interface Waiting {
  seats: number;
  enqueuedAt: number;
  start(): void;
  timer: NodeJS.Timeout;
}

interface Level {
  name: string;
  seats: number;
  queueLengthLimit: number;
  handSize: number;
  queues: Waiting[][];
  next: number;
  executing: number;
  retryAfter: RetryAfterTracker;
  rejected: number;
  dispatched: number;
}

export interface LevelSnapshot {
  name: string;
  seats: number;
  executing: number;
  waiting: number;
  dispatched: number;
  rejected: number;
  retryAfterSeconds: number;
}

/**
 * API Priority and Fairness as kube-apiserver applies it after authentication and impersonation: each request is
 * classified by the first matching flow schema into a priority level; a level runs as many requests as it has seats,
 * queues the others (the flow, here the user, is shuffle-sharded onto a hand of queues and joins the shortest),
 * rejects a request whose queue is full or that waited too long, and serves queues in turn when a seat frees up.
 * Every answer names the flow schema and priority level by UID.
 */
export class PriorityAndFairness {
  private settings: ApfSettings = DEFAULT_SETTINGS;
  private levels = new Map<string, Level>();
  readonly uids = apfUids();

  constructor(private readonly now: () => number = Date.now) {
    this.configure({});
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  get mutatingWorkMs(): number {
    return this.settings.mutatingWorkMs;
  }

  /** Replaces the settings (unnamed ones take their defaults); requests already queued keep their place. */
  configure(settings: Partial<ApfSettings>): void {
    this.settings = { ...DEFAULT_SETTINGS, ...settings, levels: { ...settings.levels } };
    const nominal = nominalSeats(DEFAULT_PRIORITY_LEVELS, this.settings.serverConcurrencyLimit);
    const previous = this.levels;
    this.levels = new Map(
      DEFAULT_PRIORITY_LEVELS.map((spec) => [
        spec.name,
        this.level(spec, nominal.get(spec.name) ?? 1, previous.get(spec.name)),
      ]),
    );
  }

  private level(spec: PriorityLevelSpec, nominal: number, previous: Level | undefined): Level {
    const own = this.settings.levels[spec.name] ?? {};
    const queues = own.queues ?? spec.queues;
    const kept = previous?.queues.flat() ?? [];
    const level: Level = {
      name: spec.name,
      seats: Math.max(1, own.seats ?? nominal),
      queueLengthLimit: own.queueLengthLimit ?? spec.queueLengthLimit,
      handSize: Math.min(queues, own.handSize ?? spec.handSize),
      queues: Array.from({ length: queues }, () => []),
      next: 0,
      executing: previous?.executing ?? 0,
      retryAfter: previous?.retryAfter ?? new RetryAfterTracker(),
      rejected: previous?.rejected ?? 0,
      dispatched: previous?.dispatched ?? 0,
    };
    kept.forEach((w, i) => level.queues[i % queues]?.push(w));
    return level;
  }

  private classify(user: UserInfo): Classified {
    const schema =
      DEFAULT_FLOW_SCHEMAS.find((fs) => fs.matches(user)) ?? DEFAULT_FLOW_SCHEMAS[DEFAULT_FLOW_SCHEMAS.length - 1];
    const flowSchema = schema?.name ?? 'global-default';
    const priorityLevel = schema?.priorityLevel ?? 'global-default';
    return {
      flowSchema,
      priorityLevel,
      headers: {
        'X-Kubernetes-PF-FlowSchema-UID': this.uids.get(`flowschema/${flowSchema}`) ?? '',
        'X-Kubernetes-PF-PriorityLevel-UID': this.uids.get(`prioritylevel/${priorityLevel}`) ?? '',
      },
    };
  }

  /** Waits for a seat, or answers why the request is rejected; an admitted request must call release() when done. */
  admit(request: ApfRequest): Promise<Admission> {
    const classified = this.classify(request.user);
    const level = this.levels.get(classified.priorityLevel);
    const free = (): Admission => ({ ...classified, admitted: true, queuedMs: 0, release: () => undefined });
    if (!this.settings.enabled || !level || request.longRunning) return Promise.resolve(free());
    const seats = Math.min(level.seats, Math.max(1, request.seats));
    const admitted = (queuedMs: number): Admission => {
      level.executing += seats;
      level.dispatched++;
      let released = false;
      return {
        ...classified,
        admitted: true,
        queuedMs,
        release: () => {
          if (released) return;
          released = true;
          level.executing -= seats;
          this.dispatch(level);
        },
      };
    };
    const rejected = (reason: 'queue-full' | 'time-out'): Admission => {
      level.rejected++;
      level.retryAfter.recordDropped(this.now());
      return { ...classified, admitted: false, reason, retryAfterSeconds: level.retryAfter.get() };
    };
    if (level.queues.every((q) => q.length === 0) && level.executing + seats <= level.seats)
      return Promise.resolve(admitted(0));
    const queue = this.shortestInHand(level, `${classified.flowSchema}/${request.user.name}`);
    if (queue.length >= level.queueLengthLimit) return Promise.resolve(rejected('queue-full'));
    return new Promise<Admission>((resolve) => {
      const enqueuedAt = this.now();
      const waiting: Waiting = {
        seats,
        enqueuedAt,
        start: () => {
          clearTimeout(waiting.timer);
          resolve(admitted(this.now() - enqueuedAt));
        },
        timer: setTimeout(() => {
          for (const q of level.queues) {
            const index = q.indexOf(waiting);
            if (index >= 0) q.splice(index, 1);
          }
          resolve(rejected('time-out'));
        }, this.settings.queueWaitMs),
      };
      queue.push(waiting);
    });
  }

  /** Shuffle sharding: the flow's hash deals a hand of distinct queues; the request joins the shortest of them. */
  private shortestInHand(level: Level, flow: string): Waiting[] {
    const digest = createHash('sha256').update(flow).digest();
    const remaining = level.queues.map((_, i) => i);
    let best: Waiting[] | undefined;
    for (let card = 0; card < level.handSize; card++) {
      const pick = remaining.splice(digest.readUInt16BE((card * 2) % 30) % remaining.length, 1)[0] ?? 0;
      const queue = level.queues[pick] ?? [];
      if (!best || queue.length < best.length) best = queue;
    }
    return best ?? [];
  }

  /** Fair dispatch, simplified to turns: each non-empty queue in order sends its oldest request while seats allow. */
  private dispatch(level: Level): void {
    for (let scanned = 0; scanned < level.queues.length;) {
      const queue = level.queues[level.next] ?? [];
      const head = queue[0];
      if (!head) {
        level.next = (level.next + 1) % level.queues.length;
        scanned++;
        continue;
      }
      if (level.executing > 0 && level.executing + head.seats > level.seats) return;
      queue.shift();
      level.next = (level.next + 1) % level.queues.length;
      scanned = 0;
      head.start();
    }
  }

  snapshot(): LevelSnapshot[] {
    return [...this.levels.values()].map((l) => ({
      name: l.name,
      seats: l.seats,
      executing: l.executing,
      waiting: l.queues.reduce((sum, q) => sum + q.length, 0),
      dispatched: l.dispatched,
      rejected: l.rejected,
      retryAfterSeconds: l.retryAfter.get(),
    }));
  }
}

/** The work estimator's seats for a list: one per 100 objects it may return, 1 to 10. */
export function listSeats(objects: number): number {
  return Math.min(10, Math.max(1, Math.ceil(objects / 100)));
}
