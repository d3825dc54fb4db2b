import type { CsrCheckInput, Finding } from './finding';
import { verifyCsrSignature, type CsrParseResult } from './parsed-csr';
import { checksFor } from './signer-policies';

export type CsrRisk = 'low' | 'high' | 'invalid';

/** The verdict, shaped as `certops csr check --output json` prints it (DESIGN.md). */
export interface CsrVerdict {
  subject: { commonName: string; organizations: string[] };
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
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
      dnsNames: [],
      ipAddresses: [],
      emailAddresses: [],
      uris: [],
      keyAlgorithm: null,
      keySize: null,
      signatureValid: false,
      risk: 'invalid',
      findings: [{ code: 'unparseable', severity: 'critical', message: `Not a usable certificate request (${request.message}): deny it and ask the requester for a new one.` }],
    };
  }
  const { csr } = request;
  const signatureValid = await verifyCsrSignature(csr);
  const findings = checksFor(context.signerName).flatMap((check) => check({ ...context, csr }));
  if (!signatureValid) {
    findings.unshift({
      code: 'signature-invalid',
      severity: 'critical',
      message: 'The self-signature does not verify: the requester has not proven it holds the private key (a tampered or corrupted request). Deny it.',
    });
  }
  const risk: CsrRisk = !signatureValid ? 'invalid' : findings.some((f) => f.severity !== 'info') ? 'high' : 'low';
  const { subject, dnsNames, ipAddresses, emailAddresses, uris, keyAlgorithm, keySize } = csr;
  return { subject, dnsNames, ipAddresses, emailAddresses, uris, keyAlgorithm, keySize, signatureValid, risk, findings };
}
