import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { CertopsConfig } from '../config/schema';
import {
  KUBELET_CLIENT,
  KUBELET_SERVING,
  NODE_CN_PREFIX,
  inspectCsr,
  parseCsr,
  type CsrVerdict,
  type NodeClientAccess,
  type NodeFacts,
} from '../core/csr';
import { requiredApprovals } from '../core/operations/approval-policy';
import { peopleBehind } from '../core/roles/kubernetes-identities';
import type { ClusterCsrApi } from './cluster-csr-api';
import { csrPolicyFor } from './cluster-policy';
import { lifecycleOf, type CsrSummary } from './csr-summary';

export interface ReviewDeps {
  api: Pick<ClusterCsrApi, 'cluster' | 'lookupNode' | 'listNodes' | 'nodeClientAccess'>;
  config: Pick<CertopsConfig, 'csr' | 'identities'>;
}

/** A wire timestamp (string from a watch, Date from a typed call) as ISO 8601. */
export function isoTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value ?? ''));
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

interface ClusterFacts {
  node?: NodeFacts | null;
  otherNodes?: NodeFacts[];
  nodeClientAccess?: NodeClientAccess;
}

/** What the cluster knows that the checks need: the Nodes for a serving request, the authorizer's word for a node client one. */
async function clusterFacts(
  csr: V1CertificateSigningRequest,
  commonName: string,
  api: ReviewDeps['api'],
): Promise<ClusterFacts> {
  if (!commonName.startsWith(NODE_CN_PREFIX)) return {};
  if (csr.spec.signerName === KUBELET_SERVING) {
    const [node, otherNodes] = await Promise.all([
      api.lookupNode(commonName.slice(NODE_CN_PREFIX.length)),
      api.listNodes(),
    ]);
    return { node, otherNodes };
  }
  if (csr.spec.signerName === KUBELET_CLIENT) return { nodeClientAccess: await api.nodeClientAccess(csr) };
  return {};
}

function withoutSignatureFlag(verdict: CsrVerdict): Omit<CsrVerdict, 'signatureValid'> {
  const { signatureValid: _shownAsFinding, ...rest } = verdict;
  return rest;
}

/** Parses, asks the cluster what the checks need, runs every policy check, and reads the lifecycle. */
export async function reviewCsr(csr: V1CertificateSigningRequest, deps: ReviewDeps): Promise<CsrSummary> {
  const { api, config } = deps;
  const { cluster } = api;
  const spec = csr.spec;
  const request = parseCsr(spec.request ?? '');
  const commonName = request.ok ? request.csr.subject.commonName : '';
  const facts = await clusterFacts(csr, commonName, api);
  const verdict = await inspectCsr({
    request,
    signerName: spec.signerName,
    username: spec.username,
    groups: spec.groups,
    usages: spec.usages,
    expirationSeconds: spec.expirationSeconds,
    ...facts,
    config: csrPolicyFor(config, cluster),
  });
  const requesterPeople = peopleBehind(spec.username ?? '', spec.groups ?? [], config.identities);
  // An unknown person behind a risky request could be one of its approvers: one more is needed.
  const approvalsNeeded =
    verdict.risk === 'high'
      ? requiredApprovals('csr-approve-high-risk', cluster).required +
        (requesterPeople.mapped ? 0 : config.csr.unmappedRequesterExtraApprovals)
      : 1;
  // Only the configuration says AKS approves kubelet serving CSRs; a node can label itself anything.
  const selfApproved = spec.signerName === KUBELET_SERVING && cluster.aks?.approvesKubeletServing === true;
  return {
    cluster: cluster.name,
    uid: csr.metadata?.uid ?? '',
    name: csr.metadata?.name ?? '',
    signerName: spec.signerName,
    username: spec.username ?? '',
    groups: spec.groups ?? [],
    usages: spec.usages ?? [],
    ...(spec.expirationSeconds !== undefined ? { expirationSeconds: spec.expirationSeconds } : {}),
    createdAt: isoTime(csr.metadata?.creationTimestamp),
    ...withoutSignatureFlag(verdict),
    ...(facts.node ? { nodeStatus: facts.node.addresses } : {}),
    requesterPeople,
    approvalsNeeded,
    ...lifecycleOf(csr),
    ...(selfApproved ? { selfApprovedBy: `AKS (clusters[${cluster.name}].aks.approvesKubeletServing)` } : {}),
  };
}
