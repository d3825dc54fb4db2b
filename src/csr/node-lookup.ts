import { ApiException, type CoreV1Api } from '@kubernetes/client-node';
import type { NodeFacts } from '../core/csr';

/** AKS approves kubelet serving CSRs of nodes with this label itself (its own kubelet serving CA). */
export const AKS_KUBELET_SERVING_LABEL = 'kubernetes.azure.com/kubelet-serving-ca';

export type NodeLookup = (name: string) => Promise<NodeFacts | null>;

/** Reads a Node's names, addresses and labels; null when it does not exist. */
export function nodeLookup(core: CoreV1Api): NodeLookup {
  return async (name) => {
    try {
      const node = await core.readNode({ name });
      return {
        name: node.metadata?.name ?? name,
        addresses: (node.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
        labels: node.metadata?.labels ?? {},
      };
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return null;
      throw err;
    }
  };
}
