import type { CertopsConfig } from '../config/schema';
import type { ClusterCsrApi } from './cluster-csr-api';
import type { CsrTarget } from './csr-decisions';
import type { CsrSummary } from './csr-summary';
import { reviewCsr } from './review-csr';

/** The CSRs of the watched clusters as they are now, reviewed: what `/certs csr` lists and "Review" posts. */
export interface CsrLookup {
  /** The clusters whose CSRs this process watches, in configuration order (a channel and a kubeconfig that loaded). */
  watched(): string[];
  /** The CSR, re-read and reviewed; undefined when it is gone, was replaced (another uid) or its cluster is not watched. */
  current(target: CsrTarget): Promise<CsrSummary | undefined>;
  /** The cluster's pending CSRs, each reviewed now. Throws when the cluster cannot be listed. */
  pending(cluster: string): Promise<CsrSummary[]>;
}

export function csrLookup(clusters: ReadonlyMap<string, ClusterCsrApi>, config: CertopsConfig): CsrLookup {
  return {
    watched: () => [...clusters.keys()],
    current: async (target) => {
      const api = clusters.get(target.cluster);
      const csr = api ? await api.find(target.name) : undefined;
      if (!api || !csr || csr.metadata?.uid !== target.uid) return undefined;
      return reviewCsr(csr, { api, config });
    },
    pending: async (cluster) => {
      const api = clusters.get(cluster);
      if (!api) return [];
      const { items } = await api.source.list();
      const pending: CsrSummary[] = [];
      for (const csr of items) {
        const summary = await reviewCsr(csr, { api, config });
        if (summary.state === 'pending') pending.push(summary);
      }
      return pending;
    },
  };
}
