import { DURATION_HINT, parseDurationSeconds } from '../../util/duration';
import { reasonTooLong } from '../approvals/request';
import { MIN_ACCESS_SECONDS, roleRefOf, type AccessLevel, type AccessRoleRef } from './level';

export interface AccessCluster {
  name: string;
  access?: { levels: AccessLevel[] };
}

/** A checked ask for access: the level as configured now, and the duration approvers will vote on. */
export interface AccessAsk {
  cluster: string;
  level: AccessLevel;
  roleRef: AccessRoleRef;
  durationSeconds: number;
  reason: string;
}

/** A refusal names the field at fault, so a form can show it under that field. */
export type AccessAskResult =
  { ok: true; ask: AccessAsk } | { ok: false; field: 'level' | 'duration' | 'reason'; message: string };

export interface AccessAskInput {
  cluster?: string;
  level?: string;
  duration?: string;
  reason?: string;
}

/**
 * What the person typed, echoed in a code span as an identifier: a cluster, level or duration is a short word,
 * so anything else (a backtick that would end the span, `<!channel>`, `&`) is shown as "?" and never as markup.
 */
export function echoTyped(text: string): string {
  const chars = [...text];
  const shown = chars
    .slice(0, 63)
    .map((c) => (/^[A-Za-z0-9._:-]$/.test(c) ? c : '?'))
    .join('');
  return `\`${shown}${chars.length > 63 ? '…' : ''}\``;
}

/** "45m", "1h", "1h30m": durations as people type them back. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}

/** Clusters with access levels and their levels, so a refused ask teaches the right one. */
export function accessChoicesText(clusters: readonly AccessCluster[]): string {
  const offered = clusters.filter((c) => (c.access?.levels.length ?? 0) > 0);
  if (offered.length === 0)
    return 'No cluster offers access levels: an admin must add clusters[].access.levels to the configuration.';
  const lines = offered.map(
    (c) =>
      `• \`${c.name}\`: ${(c.access?.levels ?? []).map((l) => `\`${l.name}\` (up to ${formatDuration(l.maxDuration)})`).join(', ')}`,
  );
  return `Clusters and their access levels:\n${lines.join('\n')}`;
}

/** Checks an ask against the configuration: known cluster and level, a duration within the level's maximum, a reason. */
export function checkAccessAsk(input: AccessAskInput, clusters: readonly AccessCluster[]): AccessAskResult {
  const fail = (problem: string): AccessAskResult => ({
    ok: false,
    field: 'level',
    message: `${problem}\n${accessChoicesText(clusters)}`,
  });
  if (!input.cluster || !input.level || !input.duration)
    return fail('Name a cluster, an access level, a duration and a reason.');
  const cluster = clusters.find((c) => c.name === input.cluster);
  if (!cluster) return fail(`Unknown cluster ${echoTyped(input.cluster)}.`);
  const levels = cluster.access?.levels ?? [];
  if (levels.length === 0) return fail(`Cluster \`${cluster.name}\` offers no access levels.`);
  const level = levels.find((l) => l.name === input.level);
  if (!level) return fail(`Unknown access level ${echoTyped(input.level)} on \`${cluster.name}\`.`);
  const seconds = parseDurationSeconds(input.duration);
  if (seconds === undefined)
    return {
      ok: false,
      field: 'duration',
      message: `${echoTyped(input.duration)} is not a duration: use ${DURATION_HINT}, e.g. 30m or 1h.`,
    };
  if (seconds < MIN_ACCESS_SECONDS)
    return {
      ok: false,
      field: 'duration',
      message: `${formatDuration(seconds)} is too short: Kubernetes issues client certificates for at least 10m. Ask for 10m or more.`,
    };
  if (seconds > level.maxDuration) {
    return {
      ok: false,
      field: 'duration',
      message: `${formatDuration(seconds)} is over the maximum of \`${level.name}\` on \`${cluster.name}\` (${formatDuration(level.maxDuration)}). Ask for ${formatDuration(level.maxDuration)} or less, and again later if you still need it.`,
    };
  }
  const reason = (input.reason ?? '').trim();
  if (reason === '')
    return {
      ok: false,
      field: 'reason',
      message: 'Say why: a reason is required, approvers read it before they vote.',
    };
  const tooLong = reasonTooLong(reason);
  if (tooLong) return { ok: false, field: 'reason', message: tooLong };
  return {
    ok: true,
    ask: { cluster: cluster.name, level, roleRef: roleRefOf(level), durationSeconds: seconds, reason },
  };
}
