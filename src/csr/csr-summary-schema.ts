import { z } from 'zod';
import type { ApproveAllProgress } from './blocks/csr-burst';
import type { CsrView } from './csr-summary';

/** A group member as stored: members the previous version stored may carry no approval count (see storedCsrMember). */
export type StoredCsrMember = CsrView;

// The shapes a grouped CSR message keeps in Redis (state/csr-group-store.ts), read back through these: a summary
// written by another version is left out of the message (logged) instead of being drawn from missing fields,
// except for the fields the previous version did not store (see storedCsrMember).

const condition = z.object({ type: z.string(), reason: z.string(), message: z.string() });

const storedCsrSummary = z.object({
  subject: z.object({ commonName: z.string(), organizations: z.array(z.string()) }),
  commonNames: z.array(z.string()),
  dnsNames: z.array(z.string()),
  ipAddresses: z.array(z.string()),
  emailAddresses: z.array(z.string()),
  uris: z.array(z.string()),
  otherNames: z.array(z.string()),
  nameProofs: z
    .array(
      z.object({
        kind: z.enum(['DNS', 'IP']),
        name: z.string(),
        proof: z.string().optional(),
        inNodeStatus: z.boolean(),
        conflict: z.string().optional(),
      }),
    )
    .optional(),
  keyAlgorithm: z.string().nullable(),
  keySize: z.number().nullable(),
  risk: z.enum(['low', 'high', 'invalid']),
  findings: z.array(
    z.object({ code: z.string(), severity: z.enum(['info', 'warning', 'high', 'critical']), message: z.string() }),
  ),
  cluster: z.string(),
  uid: z.string(),
  name: z.string(),
  signerName: z.string(),
  username: z.string(),
  groups: z.array(z.string()),
  usages: z.array(z.string()),
  expirationSeconds: z.number().optional(),
  createdAt: z.string(),
  nodeStatus: z.array(z.object({ type: z.string(), address: z.string() })).optional(),
  // Both absent from members the previous version stored (kept up to 7 days, see CsrGroupStore).
  requesterPeople: z
    .object({ mapped: z.boolean(), slackUserIds: z.array(z.string()), via: z.array(z.string()) })
    .default({ mapped: false, slackUserIds: [], via: [] }),
  approvalsNeeded: z.number().optional(),
  state: z.enum(['pending', 'approved', 'denied', 'issued', 'failed', 'gone']),
  decision: condition.optional(),
  failure: condition.optional(),
  certificateNotAfter: z.string().optional(),
  selfApprovedBy: z.string().optional(),
}) satisfies z.ZodType<CsrView, unknown>;

/**
 * A stored member, old or current. The message is display only: every decision reads the CSR again when clicked.
 * An old member's count is worked out as review-csr.ts does from the risk when the risk alone decides it (1 unless
 * high); a high-risk one also depends on the cluster's policy and on who is behind the requester, which the old
 * member does not say, so its line shows no count rather than a guessed one.
 */
export const storedCsrMember = storedCsrSummary.transform((m): StoredCsrMember =>
  m.approvalsNeeded === undefined && m.risk !== 'high' ? { ...m, approvalsNeeded: 1 } : m,
) satisfies z.ZodType<StoredCsrMember, unknown>;

export const storedApproveAllProgress = z.object({
  byUserId: z.string(),
  done: z.number(),
  total: z.number(),
  failed: z.number(),
}) satisfies z.ZodType<ApproveAllProgress>;
