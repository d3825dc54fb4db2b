// Times people read in Slack: Slack shows `<!date^…>` in each reader's own time zone; clients that cannot
// (notifications, old clients, logs) show the fallback, which is UTC in words a person reads at a glance.

/** "2026-12-05 16:35 UTC" */
export function readableUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function asDate(when: Date | string): Date | undefined {
  const date = typeof when === 'string' ? new Date(when) : when;
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "Dec 5, 2026 at 5:35 PM" in the reader's zone ("Today at …" when it is today). A time that does not parse is shown as it came. */
export function slackDate(when: Date | string): string {
  const date = asDate(when);
  if (!date) return typeof when === 'string' ? when.replace(/[<>|&]/g, '') : '?';
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${readableUtc(date)}>`;
}

/** The day alone ("Dec 5, 2026"), for expiry dates where the hour says nothing. */
export function slackDay(when: Date | string): string {
  const date = asDate(when);
  if (!date) return typeof when === 'string' ? when.replace(/[<>|&]/g, '') : '?';
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty}|${date.toISOString().slice(0, 10)}>`;
}
