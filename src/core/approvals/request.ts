import { z } from 'zod';
import { OPERATION_IDS } from '../operations/operation-ids';

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'running',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Statuses from which nothing moves any more. */
export const FINAL_STATUSES: ReadonlySet<ApprovalStatus> = new Set([
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
]);

/** A reason is read by approvers before they vote: long enough to say what and why, short enough to read. */
export const MAX_REASON_LENGTH = 500;

/** What is wrong with a reason's length, or undefined when it fits. */
export function reasonTooLong(reason: string): string | undefined {
  const length = [...reason].length;
  return length > MAX_REASON_LENGTH
    ? `The reason has ${length} characters; keep it to ${MAX_REASON_LENGTH}: what expires and what breaks otherwise.`
    : undefined;
}

/** Default time a request waits for its votes. */
export const DEFAULT_LIFETIME_SECONDS = 3600;

const actor = z.object({ id: z.string().min(1), name: z.string() });
const isoTime = z.iso.datetime();

export const HISTORY_EVENTS = [
  'created',
  'voted',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'running',
  'resumed',
  'succeeded',
  'failed',
  'retrying',
  'cancel-vote',
  'cancel-confirmed',
  'retried-as',
] as const;

/** Where a job is: `steps` counts the operation's phases (step k of n), `items` counts work inside one (secrets). */
const jobStep = z.object({
  name: z.string(),
  done: z.number().int().min(0),
  total: z.number().int().min(0).optional(),
  unit: z.enum(['steps', 'items']),
});

/** What the worker reports of the job while the request is approved or running; drawn on the card. */
const jobState = z.object({
  step: jobStep.optional(),
  /** The last step the job finished (a cancelled job stops after it). */
  lastDone: z.string().optional(),
  retry: z.object({ attempt: z.number().int().min(1), cause: z.string(), nextAt: isoTime }).optional(),
  /** Votes to stop the job; it stops at its next step boundary once `confirmedAt` is set. */
  cancel: z
    .object({ votes: z.array(actor), required: z.number().int().min(1), confirmedAt: isoTime.optional() })
    .optional(),
});

/** Pre-flight checks read before anyone was asked to approve (KMS operations); shown on the card, never blocking. */
export const PREFLIGHT_STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
const preflight = z.object({
  ok: z.boolean(),
  at: isoTime,
  checks: z.array(
    z.object({
      code: z.string().min(1),
      status: z.enum(PREFLIGHT_STATUSES),
      message: z.string(),
      at: isoTime.optional(),
    }),
  ),
});

// The stored shape is parsed on every read: a corrupt or foreign record is an error, never a silent approval.
export const approvalRequestSchema = z.object({
  id: z.string().min(1),
  operation: z.enum(OPERATION_IDS),
  cluster: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  reason: z.string(),
  requester: actor,
  // Other people who stand for the requester (a CSR's Kubernetes requester mapped to Slack users): their votes never count.
  requesterPeople: z.array(z.string().min(1)).optional(),
  requiredApprovals: z.number().int().min(1),
  votes: z.array(z.object({ userId: z.string().min(1), userName: z.string(), at: isoTime })),
  rejection: z.object({ by: actor, reason: z.string(), at: isoTime }).optional(),
  outcome: z.object({ message: z.string(), at: isoTime }).optional(),
  createdAt: isoTime,
  expiresAt: isoTime,
  status: z.enum(APPROVAL_STATUSES),
  history: z.array(
    z.object({ at: isoTime, event: z.enum(HISTORY_EVENTS), actor: actor.optional(), note: z.string().optional() }),
  ),
  job: jobState.optional(),
  /** A job stopped on people's word: who stopped it and after which step. */
  cancellation: z.object({ by: z.array(actor), afterStep: z.string().optional(), at: isoTime }).optional(),
  /** A failed or cancelled request asked again (Retry on its card) and the request it repeats. */
  retriedAs: z.string().optional(),
  retryOf: z.string().optional(),
  /** Who could approve when it was opened (names for the card; authorised again at the click). */
  eligibleApprovers: z.array(actor).optional(),
  preflight: preflight.optional(),
});

export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;
export type Actor = ApprovalRequest['requester'];
export type ApprovalVote = ApprovalRequest['votes'][number];
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];
export type JobStep = z.infer<typeof jobStep>;
export type JobState = z.infer<typeof jobState>;
export type RequestPreflight = z.infer<typeof preflight>;

/** The distinct user IDs that voted (the rule counts people, not clicks). */
export function distinctVoters(request: Pick<ApprovalRequest, 'votes'>): Set<string> {
  return new Set(request.votes.map((v) => v.userId));
}

export function isExpiredAt(request: Pick<ApprovalRequest, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(request.expiresAt);
}

/** A copy with one more history line; the machine never mutates its input. */
export function withEvent(
  request: ApprovalRequest,
  now: Date,
  event: HistoryEvent,
  changes: Partial<ApprovalRequest>,
  actor?: Actor,
  note?: string,
): ApprovalRequest {
  const line = { at: now.toISOString(), event, ...(actor ? { actor } : {}), ...(note !== undefined ? { note } : {}) };
  return { ...request, ...changes, history: [...request.history, line] };
}
