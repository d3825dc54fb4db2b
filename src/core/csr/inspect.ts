import { servingNameProofs, type NameProof } from './checks/serving-names';
import type { CsrCheckInput, Finding } from './finding';
import { verifyCsrSignature, type CsrParseResult } from './parsed-csr';
import { KUBELET_SERVING, checksFor } from './signer-policies';

export type CsrRisk = 'low' | 'high' | 'invalid';

/** The verdict, shaped as `certops csr check --output json` prints it (DESIGN.md). */
export interface CsrVerdict {
  subject: { commonName: string; organizations: string[] };
  /** Every CN of the subject (the card shows them all). */
  commonNames: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** Names of kinds no Kubernetes signer issues (`DirName:…`, `RID:…`, `otherName:…`). */
  otherNames: string[];
  /** Kubelet serving requests: what proves each DNS name and IP, and whose it is if not this node's. */
  nameProofs?: NameProof[];
  keyAlgorithm: string | null;
  keySize: number | null;
  signatureValid: boolean;
  risk: CsrRisk;
  findings: Finding[];
}

export type InspectCsrInput = Omit<CsrCheckInput, 'csr'> & { request: CsrParseResult };

/** Runs every check of the signer's policy and returns all findings (never only the first). */
export async function inspectCsr(input: InspectCsrInput): Promise<CsrVerdict> {
  const { request, ...context } = input;
  if (!request.ok) {
    return {
      subject: { commonName: '', organizations: [] },
      commonNames: [],
      dnsNames: [],
      ipAddresses: [],
      emailAddresses: [],
      uris: [],
      otherNames: [],
      keyAlgorithm: null,
      keySize: null,
      signatureValid: false,
      risk: 'invalid',
      findings: [
        {
          code: 'unparseable',
          severity: 'critical',
          message: `Not a usable certificate request (${request.message}): deny it and ask the requester for a new one.`,
        },
      ],
    };
  }
  const { csr } = request;
  const signatureValid = await verifyCsrSignature(csr);
  const findings = checksFor(context.signerName).flatMap((check) => check({ ...context, csr }));
  if (!signatureValid) {
    findings.unshift({
      code: 'signature-invalid',
      severity: 'critical',
      message:
        'The self-signature does not verify: the requester has not proven it holds the private key (a tampered or corrupted request). Deny it.',
    });
  }
  const risk: CsrRisk = !signatureValid ? 'invalid' : findings.some((f) => f.severity !== 'info') ? 'high' : 'low';
  const { subject, commonNames, dnsNames, ipAddresses, emailAddresses, uris, keyAlgorithm, keySize } = csr;
  const otherNames = csr.unusualNames.map((n) => n.text);
  const nameProofs =
    context.signerName === KUBELET_SERVING ? { nameProofs: servingNameProofs({ ...context, csr }) } : {};
  return {
    subject,
    commonNames,
    dnsNames,
    ipAddresses,
    emailAddresses,
    uris,
    otherNames,
    ...nameProofs,
    keyAlgorithm,
    keySize,
    signatureValid,
    risk,
    findings,
  };
}
