/**
 * `{certops}:approval:<id>`: every key starts with the configured hash tag, so all of them (and BullMQ's)
 * share one Redis Cluster slot and multi-key scripts stay legal.
 */
export function stateKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}
