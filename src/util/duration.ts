// Durations as people write them in config and commands: "90s", "15m", "12h", "30d", "2w", or "1d12h".
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION_RE = /^(?:\d+[smhdw])+$/;

/** Parses a duration into seconds; returns undefined when the text is not a duration. */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!DURATION_RE.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  }
  return total > 0 ? total : undefined;
}

/** Formats seconds the way `kubeadm certs check-expiration` shows residual time: "364d", "5d", "23h", "42m". */
export function formatResidual(seconds: number): string {
  if (seconds <= 0) return '<invalid>';
  if (seconds >= 86400) return `${Math.floor(seconds / 86400)}d`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds)}s`;
}

export const DURATION_HINT = 'a duration such as 90s, 15m, 12h, 30d or 2w';
