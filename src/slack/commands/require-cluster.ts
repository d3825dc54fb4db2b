import { UsageError } from '../../util/errors';

/** A cluster named in a command must be configured; the answer lists the ones that are. */
export function requireCluster(
  deps: { config: { clusters: ReadonlyArray<{ name: string }> } },
  name: string,
  usage: string,
): string {
  if (deps.config.clusters.some((c) => c.name === name)) return name;
  const known = deps.config.clusters.map((c) => `\`${c.name}\``).join(', ') || 'none';
  throw new UsageError(`Unknown cluster \`${name}\`. Usage: \`${usage}\`. Clusters: ${known}.`);
}
