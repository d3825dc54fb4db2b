import { X509Certificate } from 'node:crypto';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { CsrVerdict, NodeAddress } from '../core/csr';
import type { RequesterPeople } from '../core/roles/kubernetes-identities';

export type CsrLifecycle = 'pending' | 'approved' | 'denied' | 'issued' | 'failed' | 'gone';

/** A condition that settled the request: Approved, Denied or Failed, with who/why. */
export interface CsrCondition {
  type: string;
  reason: string;
  message: string;
}

/** What an approver sees about one CSR: the request, the policy verdict, and where it is in its life. */
export interface CsrSummary extends Omit<CsrVerdict, 'signatureValid'> {
  cluster: string;
  uid: string;
  name: string;
  signerName: string;
  username: string;
  groups: string[];
  usages: string[];
  expirationSeconds?: number;
  createdAt: string;
  /** The addresses the Node's status lists (written by its kubelet): shown to people, never proof. */
  nodeStatus?: NodeAddress[];
  /** The people the configuration puts behind the requester: their votes never count on this CSR. */
  requesterPeople: RequesterPeople;
  /** Distinct approvals an approve needs (1 when low risk). */
  approvalsNeeded: number;
  state: CsrLifecycle;
  /** Approved or Denied, when decided. */
  decision?: CsrCondition;
  /** The signer's refusal (SignerValidationFailure) when Failed. */
  failure?: CsrCondition;
  /** notAfter of the issued certificate (ISO 8601). */
  certificateNotAfter?: string;
  /** Set when the configuration says someone other than certops approves this CSR (AKS): no buttons. */
  selfApprovedBy?: string;
}

/**
 * A CSR as a message shows it: a summary whose approval count may be unknown (a member of a grouped message that
 * the previous version stored, see csr-summary-schema.ts); the count is then left out of the text, never guessed.
 */
export type CsrView = Omit<CsrSummary, 'approvalsNeeded'> & { approvalsNeeded?: number };

function condition(csr: V1CertificateSigningRequest, type: string): CsrCondition | undefined {
  const found = (csr.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');
  return found ? { type, reason: found.reason ?? '', message: found.message ?? '' } : undefined;
}

function certificateNotAfter(base64Pem: string): string | undefined {
  try {
    return new Date(new X509Certificate(Buffer.from(base64Pem, 'base64')).validTo).toISOString();
  } catch {
    return undefined;
  }
}

/** Where the CSR stands: decided (and by whom), issued (until when), failed (why) or still pending. */
export function lifecycleOf(
  csr: V1CertificateSigningRequest,
): Pick<CsrSummary, 'state' | 'decision' | 'failure' | 'certificateNotAfter'> {
  const decision = condition(csr, 'Approved') ?? condition(csr, 'Denied');
  const failure = condition(csr, 'Failed');
  const issued = csr.status?.certificate ? certificateNotAfter(csr.status.certificate) : undefined;
  const extras = { ...(decision ? { decision } : {}), ...(failure ? { failure } : {}) };
  if (failure) return { state: 'failed', ...extras };
  if (csr.status?.certificate)
    return { state: 'issued', ...extras, ...(issued ? { certificateNotAfter: issued } : {}) };
  if (decision) return { state: decision.type === 'Approved' ? 'approved' : 'denied', ...extras };
  return { state: 'pending' };
}

/** Decided states: the card loses its buttons. */
export function isDecided(state: CsrLifecycle): boolean {
  return state !== 'pending';
}
