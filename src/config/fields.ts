import { z } from 'zod';
import { parseDurationSeconds, DURATION_HINT } from '../util/duration';
import { OPERATION_IDS } from '../core/operations/operation-ids';

/** A duration written as text ("30d") that the rest of the code sees as seconds. */
export const durationSeconds = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number' && value > 0) return value;
  const seconds = typeof value === 'string' ? parseDurationSeconds(value) : undefined;
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return seconds;
});

// Slack user IDs (U…/W…) or user-group handles written as @handle.
export const roleMember = z
  .string()
  .regex(
    /^(?:[UW][A-Z0-9]{2,}|@[a-z0-9][a-z0-9._-]*)$/,
    'expected a Slack user ID (U0123ABCD) or a user-group handle (@platform-oncall)',
  );

export const roles = z
  .object({
    operators: z.array(roleMember).default([]),
    approvers: z.array(roleMember).default([]),
    // Who may read the inventory (/certs status, expiring, csr, requests, digest list) besides operators and approvers.
    readers: z.array(roleMember).optional(),
  })
  .strict();

// Global roles may also be written per cluster in one place; load() merges them into clusters[].roles.
export const globalRoles = roles.extend({ clusters: z.record(z.string(), roles).default({}) }).strict();

export const channelRef = z
  .string()
  .regex(/^(?:[CG][A-Z0-9]{2,}|#[a-z0-9][a-z0-9._-]*)$/, 'expected a channel ID (C0123ABCD) or #name');

export const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port');

export const approvalOverrides = z.partialRecord(z.enum(OPERATION_IDS), z.number().int().min(1).max(10));
