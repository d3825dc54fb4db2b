import type { CertopsConfig, ClusterConfig } from '../config/schema';
import type { CsrPolicyConfig } from '../core/csr';

/** The CSR policy of one cluster: its own csr.* lists, where given, replace the global ones. */
export function csrPolicyFor(
  config: Pick<CertopsConfig, 'csr'>,
  cluster?: Pick<ClusterConfig, 'csr'>,
): CsrPolicyConfig {
  const own = cluster?.csr ?? {};
  return {
    maxExpirationSeconds: config.csr.maxExpiration,
    dnsPatterns: own.dnsPatterns ?? config.csr.dnsPatterns,
    ipPrefixes: own.ipPrefixes ?? config.csr.ipPrefixes,
    serviceCidrs: own.serviceCidrs ?? config.csr.serviceCidrs,
    bypassHostnameCheck: own.bypassHostnameCheck ?? config.csr.bypassHostnameCheck,
  };
}
