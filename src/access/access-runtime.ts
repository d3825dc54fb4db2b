import { loadClusterKubeConfig } from '../clusters/kubeconfig';
import type { BotContext } from '../service/bot-context';
import { accessBindingsApi, type AccessBindingsPort } from './access-bindings-api';

const apis = new WeakMap<BotContext, Map<string, AccessBindingsPort>>();

/** The bindings API of a cluster that offers access levels, built once per bot context (tests may inject their own). */
export function accessBindingsFor(ctx: BotContext, cluster: string): AccessBindingsPort | undefined {
  if (ctx.accessBindings) return ctx.accessBindings(cluster);
  let byCluster = apis.get(ctx);
  if (!byCluster) {
    byCluster = new Map();
    apis.set(ctx, byCluster);
  }
  const known = byCluster.get(cluster);
  if (known) return known;
  const config = ctx.config.clusters.find((c) => c.name === cluster);
  if (!config) return undefined;
  const api = accessBindingsApi(loadClusterKubeConfig(config));
  byCluster.set(cluster, api);
  return api;
}
