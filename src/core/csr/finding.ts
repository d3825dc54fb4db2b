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
  /** Globs such as `*.nodes.example.com` (see dns-pattern.ts). */
  dnsPatterns: string[];
}

/** The configuration schema's defaults (csr.maxExpiration 366d, no patterns), for use without a config file; a test keeps them equal. */
export const DEFAULT_CSR_POLICY: CsrPolicyConfig = { maxExpirationSeconds: 366 * 86400, dnsPatterns: [] };

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
  config: CsrPolicyConfig;
}

/** A policy check: pure, returns every problem it sees (or none). */
export type CsrCheck = (input: CsrCheckInput) => Finding[];

export const NODE_CN_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
