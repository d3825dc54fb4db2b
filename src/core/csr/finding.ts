import type { ParsedCsr } from './parsed-csr';

export type FindingSeverity = 'info' | 'warning' | 'high' | 'critical';

/** One thing an approver should know; `code` is stable (tests, auto-approval rules and dashboards match on it). */
export interface Finding {
  code: string;
  severity: FindingSeverity;
  message: string;
}

export interface NodeAddress {
  type: string;
  address: string;
}

/** What the cluster says about the Node a kubelet request names. */
export interface NodeFacts {
  name: string;
  addresses: NodeAddress[];
  labels: Record<string, string>;
}

export interface CsrPolicyConfig {
  maxExpirationSeconds: number;
  /** Globs such as `*.nodes.example.com` (see dns-pattern.ts): the only proof a serving DNS name can have. */
  dnsPatterns: string[];
  /** CIDR prefixes such as `10.0.0.0/16`: the only proof a serving IP address can have. */
  ipPrefixes: string[];
  /** The cluster's Service CIDRs: their first address is the API server's ClusterIP. */
  serviceCidrs: string[];
  /** Like kubelet-csr-approver's bypassHostnameCheck: when false, every DNS name must start with the node's name. */
  bypassHostnameCheck: boolean;
}

/** kubeadm's default Service CIDR (its first address, 10.96.0.1, is the API server's ClusterIP). */
export const DEFAULT_SERVICE_CIDRS = ['10.96.0.0/12'];

/** The configuration schema's defaults (nothing proven by configuration), for use without a config file; a test keeps them equal. */
export const DEFAULT_CSR_POLICY: CsrPolicyConfig = {
  maxExpirationSeconds: 366 * 86400,
  dnsPatterns: [],
  ipPrefixes: [],
  serviceCidrs: DEFAULT_SERVICE_CIDRS,
  bypassHostnameCheck: false,
};

/**
 * What the cluster's authorizer says about a node client request (SubjectAccessReviews, as Kubernetes'
 * own CSR approver asks them): may the requester renew its own node identity (`selfnodeclient`), or
 * bootstrap any node's (`nodeclient`)? undefined = not asked (offline).
 */
export interface NodeClientAccess {
  selfnodeclient: boolean;
  nodeclient: boolean;
  /** Set when the review could not be made (an API error): nothing is assumed allowed. */
  error?: string;
}

/** Everything a check may look at; all of it comes from the CSR object and the cluster, read at the edge. */
export interface CsrCheckInput {
  csr: ParsedCsr;
  signerName: string;
  username?: string;
  groups?: string[];
  usages?: string[];
  expirationSeconds?: number;
  /** The Node named by the request: null = looked up and absent; undefined = not looked up (offline). */
  node?: NodeFacts | null;
  /** Every other Node of the cluster (names and status addresses); undefined = not looked up (offline). */
  otherNodes?: NodeFacts[];
  nodeClientAccess?: NodeClientAccess;
  config: CsrPolicyConfig;
}

/** A policy check: pure, returns every problem it sees (or none). */
export type CsrCheck = (input: CsrCheckInput) => Finding[];

export const NODE_CN_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
