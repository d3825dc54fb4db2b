import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { CertopsConfig } from '../config/schema';
import { KUBELET_SERVING, inspectCsr, parseCsr, type CsrVerdict, type NodeFacts } from '../core/csr';
import { NODE_CN_PREFIX } from '../core/csr/finding';
import { lifecycleOf, type CsrSummary } from './csr-summary';
import { AKS_KUBELET_SERVING_LABEL, type NodeLookup } from './node-lookup';

export interface ReviewDeps {
  cluster: string;
  csrConfig: CertopsConfig['csr'];
  lookupNode: NodeLookup;
}

/** A wire timestamp (string from a watch, Date from a typed call) as ISO 8601. */
export function isoTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value ?? ''));
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

async function nodeFor(signerName: string, commonName: string, lookupNode: NodeLookup): Promise<NodeFacts | null | undefined> {
  if (signerName !== KUBELET_SERVING || !commonName.startsWith(NODE_CN_PREFIX)) return undefined;
  return lookupNode(commonName.slice(NODE_CN_PREFIX.length));
}

function withoutSignatureFlag(verdict: CsrVerdict): Omit<CsrVerdict, 'signatureValid'> {
  const { signatureValid: _shownAsFinding, ...rest } = verdict;
  return rest;
}

/** Parses, looks up the Node a kubelet request names, runs every policy check, and reads the lifecycle. */
export async function reviewCsr(csr: V1CertificateSigningRequest, deps: ReviewDeps): Promise<CsrSummary> {
  const spec = csr.spec;
  const request = parseCsr(spec.request ?? '');
  const commonName = request.ok ? request.csr.subject.commonName : '';
  const node = await nodeFor(spec.signerName, commonName, deps.lookupNode);
  const verdict = await inspectCsr({
    request,
    signerName: spec.signerName,
    username: spec.username,
    groups: spec.groups,
    usages: spec.usages,
    expirationSeconds: spec.expirationSeconds,
    node,
    config: { maxExpirationSeconds: deps.csrConfig.maxExpiration, dnsPatterns: deps.csrConfig.dnsPatterns },
  });
  const selfApproved = node?.labels[AKS_KUBELET_SERVING_LABEL] === 'cluster';
  return {
    cluster: deps.cluster,
    uid: csr.metadata?.uid ?? '',
    name: csr.metadata?.name ?? '',
    signerName: spec.signerName,
    username: spec.username ?? '',
    groups: spec.groups ?? [],
    usages: spec.usages ?? [],
    ...(spec.expirationSeconds !== undefined ? { expirationSeconds: spec.expirationSeconds } : {}),
    createdAt: isoTime(csr.metadata?.creationTimestamp),
    ...withoutSignatureFlag(verdict),
    ...lifecycleOf(csr),
    ...(selfApproved ? { selfApprovedBy: `AKS (node ${node?.name} is labelled ${AKS_KUBELET_SERVING_LABEL}=cluster)` } : {}),
  };
}
