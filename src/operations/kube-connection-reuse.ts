import type { Cluster, KubeConfig } from '@kubernetes/client-node';

/** What @kubernetes/client-node 2.x hands to undici's fetch as `dispatcher` (an undici Agent). */
interface Dispatcher {
  close(): Promise<void>;
}

type CreateDispatcher = (cluster: Cluster | null, agentOptions: object) => Dispatcher | undefined;

/** A KubeConfig whose requests share keep-alive connections, and a way to close them. */
export type ReusingKubeConfig = KubeConfig & { closeConnections(): Promise<void> };

/**
 * @kubernetes/client-node 2.0 builds a new undici Agent for every request (`applySecurityAuthentication` →
 * `createDispatcher`), so every API call pays a fresh TCP + TLS handshake and keep-alive never helps: rewriting
 * 2,000 secrets opened 2,001 TLS connections. This keeps one Agent per (cluster, user) — the key the library
 * already uses for its https agents — so calls reuse pooled connections. `createDispatcher` is private in the
 * typings; if a later version removes it, the KubeConfig is returned unchanged (slower, still correct).
 */
export function reuseConnections(kc: KubeConfig): ReusingKubeConfig {
  const target = kc as unknown as { createDispatcher?: CreateDispatcher; getCurrentUser(): { name?: string } | null };
  const original = target.createDispatcher?.bind(kc);
  const agents = new Map<string, Dispatcher | undefined>();
  if (original) {
    target.createDispatcher = (cluster, agentOptions) => {
      const key = JSON.stringify([cluster?.name ?? '', cluster?.server ?? '', target.getCurrentUser()?.name ?? '']);
      if (!agents.has(key)) agents.set(key, original(cluster, agentOptions));
      return agents.get(key);
    };
  }
  return Object.assign(kc, {
    async closeConnections() {
      const open = [...agents.values()];
      agents.clear();
      await Promise.all(open.flatMap((agent) => (agent ? [agent.close().catch(() => undefined)] : [])));
    },
  });
}
