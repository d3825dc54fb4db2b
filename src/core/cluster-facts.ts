import type { OperationId } from './operations/operation-ids';

// What the domain reads of the configuration, as plain shapes: config/schema.ts's parsed types satisfy them, and
// core stays free of the loader.

/** Slack user IDs and user-group handles ("@sre") per role. */
export interface RoleLists {
  operators: string[];
  approvers: string[];
  /** Who may read the inventory besides operators and approvers. */
  readers?: string[];
}

/** A configured cluster, as far as the operations catalogue and the two-person rule care. */
export interface ClusterFacts {
  name: string;
  aks?: object;
  kms?: object;
  kubeadm?: { enabled: boolean };
  access?: { levels: readonly unknown[] };
  approvals: Partial<Record<OperationId, number>>;
  allowSinglePersonApproval: boolean;
  roles?: RoleLists;
}
