import type { CsrVerdict } from '../../core/csr';

const list = (values: readonly string[]) => (values.length > 0 ? values.join(', ') : '-');

function signatureLine(verdict: CsrVerdict): string {
  if (verdict.risk === 'invalid' && verdict.keyAlgorithm === null) return 'not checked (the request does not parse)';
  return verdict.signatureValid
    ? 'valid (the requester holds the private key)'
    : 'INVALID (no proof the requester holds the private key)';
}

export function renderCsrText(verdict: CsrVerdict): string {
  const cn = verdict.subject.commonName;
  const subject =
    [...(cn ? [`CN=${cn}`] : []), ...verdict.subject.organizations.map((o) => `O=${o}`)].join(', ') || '(empty)';
  const lines = [
    `Subject:       ${subject}`,
    `DNS names:     ${list(verdict.dnsNames)}`,
    `IP addresses:  ${list(verdict.ipAddresses)}`,
    `Emails:        ${list(verdict.emailAddresses)}`,
    `URIs:          ${list(verdict.uris)}`,
    `Key:           ${verdict.keyAlgorithm ? `${verdict.keyAlgorithm} ${verdict.keySize ?? '?'}` : '-'}`,
    `Signature:     ${signatureLine(verdict)}`,
    `Risk:          ${verdict.risk.toUpperCase()}`,
    verdict.findings.length > 0 ? 'Findings:' : 'Findings:      none',
    ...verdict.findings.map((f) => `  [${f.severity}] ${f.code}: ${f.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderCsrJson(verdict: CsrVerdict): string {
  const {
    subject,
    dnsNames,
    ipAddresses,
    emailAddresses,
    uris,
    keyAlgorithm,
    keySize,
    signatureValid,
    risk,
    findings,
  } = verdict;
  const json = {
    subject,
    dnsNames,
    ipAddresses,
    emailAddresses,
    uris,
    keyAlgorithm,
    keySize,
    signatureValid,
    risk,
    findings,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
