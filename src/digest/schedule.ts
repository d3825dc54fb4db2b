import type { DigestScope, DigestSubscription } from '../state/subscriptions';
import { UsageError } from '../util/errors';

export const DEFAULT_DIGEST_TIME = '09:00';
export const DEFAULT_DIGEST_TZ = 'UTC';

export const SUBSCRIBE_USAGE = '/certs digest subscribe [cluster|all] [at HH:MM] [tz Area/City] [nochart]';

const TIME_RE = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** True for an IANA zone the runtime knows (Europe/Zurich, UTC); aliases count, made-up names do not. */
export function isValidTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "9:05" → "09:05"; undefined when it is not a 24-hour time. */
export function normaliseTime(text: string): string | undefined {
  const match = TIME_RE.exec(text);
  if (!match) return undefined;
  return `${(match[1] as string).padStart(2, '0')}:${match[2] as string}`;
}

/** The BullMQ cron pattern for a daily run at HH:MM (minute hour * * *); the zone goes beside it. */
export function cronPattern(at: string): string {
  const [hours, minutes] = at.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

export function scopeLabel(scope: DigestScope): string {
  return scope.kind === 'all' ? 'all' : scope.cluster;
}

export function sameScope(a: DigestScope, b: DigestScope): boolean {
  return a.kind === b.kind && scopeLabel(a) === scopeLabel(b);
}

/** One scheduler per channel and scope, so subscribing twice is one schedule. No ':' (BullMQ builds job ids from it). */
export function schedulerId(channel: string, scope: DigestScope): string {
  return scope.kind === 'all' ? `digest.${channel}.all` : `digest.${channel}.cluster.${scope.cluster}`;
}

/** The calendar day (YYYY-MM-DD) at `now` in the zone: the digest's dedupe day and its title. */
export function localDay(now: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** "all", a configured cluster name, or undefined (the word is something else). */
export function parseScope(word: string | undefined, clusters: readonly string[]): DigestScope | undefined {
  if (word === undefined) return undefined;
  if (word.toLowerCase() === 'all') return { kind: 'all' };
  if (clusters.includes(word)) return { kind: 'cluster', cluster: word };
  return undefined;
}

function usage(problem: string): UsageError {
  return new UsageError(
    `${problem}. Usage: \`${SUBSCRIBE_USAGE}\`, e.g. \`/certs digest subscribe all at 09:00 tz Europe/Zurich\`.`,
  );
}

/** Parses the words after `subscribe` into a subscription for `channel`; bad words are a UsageError naming them. */
export function parseSubscribeArgs(
  channel: string,
  args: readonly string[],
  clusters: readonly string[],
): DigestSubscription {
  let scope: DigestScope = { kind: 'all' };
  let at = DEFAULT_DIGEST_TIME;
  let tz = DEFAULT_DIGEST_TZ;
  let chart = true;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    const lower = word.toLowerCase();
    if (lower === 'at') {
      const time = args[++i];
      const parsed = time === undefined ? undefined : normaliseTime(time);
      if (!parsed) throw usage(`\`${time ?? ''}\` is not a time of day: expected HH:MM, 24-hour`);
      at = parsed;
    } else if (lower === 'tz') {
      const zone = args[++i];
      if (zone === undefined || !isValidTimeZone(zone))
        throw usage(`\`${zone ?? ''}\` is not a time zone: expected an IANA name such as Europe/Zurich or UTC`);
      tz = zone;
    } else if (lower === 'nochart') {
      chart = false;
    } else if (i === 0 && parseScope(word, clusters)) {
      scope = parseScope(word, clusters) as DigestScope;
    } else {
      const known = clusters.length > 0 ? ` (clusters: ${clusters.join(', ')})` : '';
      throw usage(`\`${word}\` is neither \`all\` nor a configured cluster${known}, nor at/tz/nochart`);
    }
  }
  return { channel, scope, at, tz, chart };
}
