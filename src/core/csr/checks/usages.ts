import type { CsrCheck, Finding } from '../finding';

/** Allowed usages and the one a certificate of this kind must have. */
function usagesCheck(allowed: readonly string[], required: string): CsrCheck {
  return ({ usages }) => {
    if (usages === undefined) {
      return [
        {
          code: 'usages-not-checked',
          severity: 'info',
          message: `Usages unknown (offline check): verify spec.usages is within [${allowed.join(', ')}].`,
        },
      ];
    }
    const findings: Finding[] = [];
    const extra = usages.filter((usage) => !allowed.includes(usage));
    if (extra.length > 0) {
      findings.push({
        code: 'usage-not-allowed',
        severity: 'high',
        message: `Usages [${extra.join(', ')}] are not allowed for this signer (allowed: ${allowed.join(', ')}).`,
      });
    }
    if (!usages.includes(required)) {
      findings.push({
        code: 'usage-missing',
        severity: 'high',
        message: `Usages do not include "${required}": the certificate would be useless for its purpose.`,
      });
    }
    return findings;
  };
}

export const servingUsages = usagesCheck(['digital signature', 'key encipherment', 'server auth'], 'server auth');
export const kubeletClientUsages = usagesCheck(['digital signature', 'key encipherment', 'client auth'], 'client auth');
