import { ApiException, type CoreV1Api } from '@kubernetes/client-node';
import type { NodeFacts } from '../core/csr';

export type NodeLookup = (name: string) => Promise<NodeFacts | null>;
export type NodeList = () => Promise<NodeFacts[]>;

function facts(
  node: {
    metadata?: { name?: string; labels?: Record<string, string> };
    status?: { addresses?: Array<{ type: string; address: string }> };
  },
  fallbackName = '',
): NodeFacts {
  return {
    name: node.metadata?.name ?? fallbackName,
    addresses: (node.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
    labels: node.metadata?.labels ?? {},
  };
}

/** Reads a Node's names, addresses and labels (all written by its kubelet); null when it does not exist. */
export function nodeLookup(core: CoreV1Api): NodeLookup {
  return async (name) => {
    try {
      return facts(await core.readNode({ name }), name);
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return null;
      throw err;
    }
  };
}

/** Every Node's names and addresses: a serving name that belongs to another Node is never this one's. */
export function nodeList(core: CoreV1Api): NodeList {
  return async () => {
    const nodes: NodeFacts[] = [];
    let next: string | undefined;
    do {
      const page = await core.listNode({ limit: 500, ...(next ? { _continue: next } : {}) });
      nodes.push(...page.items.map((node) => facts(node)));
      next = page.metadata?._continue || undefined;
    } while (next);
    return nodes;
  };
}

/**
 * The Nodes as one listing taken on first use and shared by every review that follows: "Approve all" re-reviews each
 * CSR at the click against the Nodes as they are at the click, with one list instead of a list and a read per CSR.
 * A failed listing is not kept.
 */
export function nodeSnapshot(list: NodeList): { listNodes: NodeList; lookupNode: NodeLookup } {
  let taken: Promise<NodeFacts[]> | undefined;
  const listNodes: NodeList = () =>
    (taken ??= list().catch((err: unknown) => {
      taken = undefined;
      throw err;
    }));
  return { listNodes, lookupNode: async (name) => (await listNodes()).find((node) => node.name === name) ?? null };
}
