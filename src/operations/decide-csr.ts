import {
  ApiException,
  type V1CertificateSigningRequest,
  type V1CertificateSigningRequestCondition,
} from '@kubernetes/client-node';

/** The two calls a decision needs; the bot wires them to CertificatesV1Api (read + the approval subresource). */
export interface CsrApprovalPort {
  read(name: string): Promise<V1CertificateSigningRequest>;
  replaceApproval(name: string, body: V1CertificateSigningRequest): Promise<V1CertificateSigningRequest>;
}

export type CsrDecisionKind = 'approve' | 'deny';
export const DECISION_REASONS = {
  approve: 'CertopsApprove',
  deny: 'CertopsDeny',
  autoApprove: 'CertopsAutoApprove',
  autoDeny: 'CertopsAutoDeny',
} as const;
export type CsrDecisionReason = (typeof DECISION_REASONS)[keyof typeof DECISION_REASONS];

export interface DecideCsrInput {
  name: string;
  /** When set, a CSR of the same name but another uid (deleted and re-created) is not touched. */
  uid?: string;
  decision: CsrDecisionKind;
  reason: CsrDecisionReason;
  /** Shown by `kubectl describe csr`: who decided, and why. */
  message: string;
  /** The CSR as the caller just read it: the first attempt writes on it; a 409 still re-reads. */
  read?: V1CertificateSigningRequest;
}

/** An Approved/Denied/Failed condition that was already there. */
export interface ExistingDecision {
  type: string;
  reason: string;
  message: string;
}

export type DecideCsrOutcome =
  | { ok: true; csr: V1CertificateSigningRequest }
  | { ok: false; code: 'gone'; message: string }
  | { ok: false; code: 'already-decided'; message: string; existing: ExistingDecision }
  | { ok: false; code: 'conflict'; message: string };

const MAX_ATTEMPTS = 5;

/** The Approved or Denied condition a CSR already carries, if any. */
export function existingDecision(csr: V1CertificateSigningRequest): ExistingDecision | undefined {
  const found = (csr.status?.conditions ?? []).find(
    (c) => (c.type === 'Approved' || c.type === 'Denied') && c.status === 'True',
  );
  return found ? { type: found.type, reason: found.reason ?? '', message: found.message ?? '' } : undefined;
}

function isStatus(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

function goneMessage(name: string): string {
  return `CSR ${name} no longer exists: it was deleted or garbage-collected (pending requests go after 24 h). The requester must submit a new one.`;
}

/**
 * Writes one Approved or Denied condition through the approval subresource. Triage first (gone, replaced,
 * already decided elsewhere: nothing written); a 409 means someone wrote in between, so re-read and decide again.
 */
export async function decideCsr(api: CsrApprovalPort, input: DecideCsrInput): Promise<DecideCsrOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let current: V1CertificateSigningRequest;
    try {
      current = attempt === 0 && input.read ? input.read : await api.read(input.name);
    } catch (err) {
      if (isStatus(err, 404)) return { ok: false, code: 'gone', message: goneMessage(input.name) };
      throw err;
    }
    if (input.uid && current.metadata?.uid !== input.uid)
      return { ok: false, code: 'gone', message: goneMessage(input.name) };
    const existing = existingDecision(current);
    if (existing) {
      const verb = existing.type === 'Approved' ? 'approved' : 'denied';
      return {
        ok: false,
        code: 'already-decided',
        existing,
        message: `CSR ${input.name} was already ${verb} (${existing.reason}${existing.message ? `: ${existing.message}` : ''}). Nothing was changed.`,
      };
    }
    const condition: V1CertificateSigningRequestCondition = {
      type: input.decision === 'approve' ? 'Approved' : 'Denied',
      status: 'True',
      reason: input.reason,
      message: input.message,
    };
    const body: V1CertificateSigningRequest = {
      ...current,
      status: { ...current.status, conditions: [...(current.status?.conditions ?? []), condition] },
    };
    try {
      return { ok: true, csr: await api.replaceApproval(input.name, body) };
    } catch (err) {
      if (isStatus(err, 404)) return { ok: false, code: 'gone', message: goneMessage(input.name) };
      if (!isStatus(err, 409)) throw err;
    }
  }
  return {
    ok: false,
    code: 'conflict',
    message: `CSR ${input.name} kept changing while certops tried to record the decision; try again.`,
  };
}
