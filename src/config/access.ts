import { z } from 'zod';
import {
  DEFAULT_ACCESS_APPROVALS,
  DEFAULT_ACCESS_HARD_CAP_SECONDS,
  DEFAULT_ACCESS_SECONDS,
  MIN_ACCESS_SECONDS,
  privilegedReason,
} from '../core/access/level';
import { durationSeconds } from './fields';

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// RBAC role names are path segments: anything but '/' and '%', and not '.' or '..'.
const roleName = z.string().regex(/^(?!\.\.?$)[^/%]+$/, 'expected a Role or ClusterRole name');

const atLeastTenMinutes = (field: string) => (seconds: number) =>
  seconds >= MIN_ACCESS_SECONDS || `${field} must be at least 10m: Kubernetes issues no shorter client certificate`;

/** One break-glass access level of a cluster. */
export const accessLevel = z
  .object({
    name: z.string().regex(dnsLabel, 'expected a lower-case name (letters, digits, dashes)'),
    description: z.string().max(200).optional(),
    clusterRole: roleName.optional(),
    role: roleName.optional(),
    namespace: z.string().regex(dnsLabel, 'expected a namespace name').optional(),
    maxDuration: durationSeconds.default(DEFAULT_ACCESS_SECONDS),
    approvals: z.number().int().min(1).max(10).default(DEFAULT_ACCESS_APPROVALS),
    // cluster-admin and the control-plane roles are refused unless this says so, on the level itself.
    allowPrivileged: z.boolean().default(false),
  })
  .strict()
  .superRefine((level, ctx) => {
    if (Boolean(level.clusterRole) === Boolean(level.role)) {
      ctx.addIssue({ code: 'custom', path: ['clusterRole'], message: 'set exactly one of clusterRole or role' });
      return;
    }
    if (level.role && !level.namespace)
      ctx.addIssue({
        code: 'custom',
        path: ['namespace'],
        message: 'required with role (a Role lives in a namespace)',
      });
    const tooShort = atLeastTenMinutes('maxDuration')(level.maxDuration);
    if (tooShort !== true) ctx.addIssue({ code: 'custom', path: ['maxDuration'], message: tooShort });
    const privileged = privilegedReason(level);
    if (privileged && !level.allowPrivileged) {
      ctx.addIssue({
        code: 'custom',
        path: [level.role ? 'role' : 'clusterRole'],
        message: `refused: ${privileged}. Set allowPrivileged: true on this level to allow it knowingly`,
      });
    }
  });

/** Per-cluster access: the levels people may ask for. */
export const clusterAccess = z
  .object({ levels: z.array(accessLevel).min(1) })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.levels.forEach((level, index) => {
      if (seen.has(level.name))
        ctx.addIssue({
          code: 'custom',
          path: ['levels', index, 'name'],
          message: `duplicate access level "${level.name}"`,
        });
      seen.add(level.name);
    });
  });

/** Service-wide access settings: the hard cap no level may exceed, and the revocation sweep. */
export const accessSettings = z
  .object({
    hardCap: durationSeconds.default(DEFAULT_ACCESS_HARD_CAP_SECONDS),
    sweepInterval: durationSeconds.default(60),
    // How long the worker waits for the signer to issue before it gives up and says so.
    issueTimeout: durationSeconds.default(60),
  })
  .strict()
  .default({ hardCap: DEFAULT_ACCESS_HARD_CAP_SECONDS, sweepInterval: 60, issueTimeout: 60 })
  .superRefine((value, ctx) => {
    const tooShort = atLeastTenMinutes('hardCap')(value.hardCap);
    if (tooShort !== true) ctx.addIssue({ code: 'custom', path: ['hardCap'], message: tooShort });
  });

export type AccessLevelConfig = z.infer<typeof accessLevel>;
export type ClusterAccessConfig = z.infer<typeof clusterAccess>;
export type AccessSettings = z.infer<typeof accessSettings>;
