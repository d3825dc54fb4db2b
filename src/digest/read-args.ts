import { DURATION_HINT, parseDurationSeconds } from '../util/duration';
import { UsageError } from '../util/errors';

export interface ReadArgs {
  cluster?: string;
  refresh: boolean;
  /** `expiring` only: the window, e.g. "within 14d". */
  withinSeconds?: number;
}

/** Parses `[within 30d] [cluster] [--refresh]` (status: without `within`); bad words are a UsageError with the usage. */
export function parseReadArgs(
  args: readonly string[],
  clusters: readonly string[],
  usage: string,
  allowWithin: boolean,
): ReadArgs {
  const result: ReadArgs = { refresh: false };
  const fail = (problem: string) => new UsageError(`${problem}. Usage: \`/certs ${usage}\`.`);
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    if (word === '--refresh' || word === 'refresh') result.refresh = true;
    else if (allowWithin && word.toLowerCase() === 'within') {
      const seconds = parseDurationSeconds(args[++i] ?? '');
      if (seconds === undefined) throw fail(`\`within\` needs ${DURATION_HINT}`);
      result.withinSeconds = seconds;
    } else if (allowWithin && parseDurationSeconds(word) !== undefined)
      result.withinSeconds = parseDurationSeconds(word);
    else if (clusters.includes(word) && result.cluster === undefined) result.cluster = word;
    else throw fail(`\`${word}\` is not a configured cluster (${clusters.join(', ') || 'none configured'})`);
  }
  return result;
}
