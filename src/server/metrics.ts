import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, so tests can start several services without name clashes. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'certops_' });
  return registry;
}
