import type { CsrCheck, Finding } from '../finding';
import type { UnusualName } from '../request-structure';

// What a library hides from a reviewer: a second CN (only one is shown), names of kinds it does not
// decode, and an extension asked twice (which copy wins depends on who reads it).

export const singleCommonName: CsrCheck = ({ csr }) => {
  if (csr.commonNames.length <= 1) return [];
  return [
    {
      code: 'multiple-common-names',
      severity: 'high',
      message: `The subject carries ${csr.commonNames.length} common names [${csr.commonNames.join(', ')}]: Kubernetes reads only the last ("${csr.subject.commonName}"), other tools may read another. Deny and ask for a request with one.`,
    },
  ];
};

export const noDuplicateExtensions: CsrCheck = ({ csr }) => {
  if (csr.duplicateExtensions.length === 0) return [];
  return [
    {
      code: 'duplicate-extension',
      severity: 'high',
      message: `Extensions [${csr.duplicateExtensions.join(', ')}] are requested more than once: which copy counts depends on who reads it (RFC 5280 forbids it). Deny.`,
    },
  ];
};

const UNUSUAL_CODES: Record<UnusualName['kind'], string> = {
  otherName: 'san-other-name',
  x400Address: 'san-x400-address',
  directoryName: 'san-directory-name',
  ediPartyName: 'san-edi-party-name',
  registeredID: 'san-registered-id',
};

/** One finding per kind of name no Kubernetes signer issues, each listing every such name. */
export const noUnusualNames: CsrCheck = ({ csr }) => {
  const findings: Finding[] = [];
  for (const [kind, code] of Object.entries(UNUSUAL_CODES) as Array<[UnusualName['kind'], string]>) {
    const names = csr.unusualNames.filter((n) => n.kind === kind).map((n) => n.text);
    if (names.length === 0) continue;
    findings.push({
      code,
      severity: 'high',
      message: `Subject alternative names of kind ${kind} [${names.join(', ')}]: no Kubernetes signer issues them, and a tool that reads them may grant what they claim. Deny unless you know what asked for them.`,
    });
  }
  return findings;
};
