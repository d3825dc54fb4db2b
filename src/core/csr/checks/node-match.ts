import { matchesDnsPattern } from '../dns-pattern';
import { NODE_CN_PREFIX, type CsrCheck, type Finding } from '../finding';

const HOSTNAME_TYPES = new Set(['Hostname', 'InternalDNS', 'ExternalDNS']);
const IP_TYPES = new Set(['InternalIP', 'ExternalIP']);

/** The Node named by the request exists, and every name and address in it belongs to that Node. */
export const namesBelongToNode: CsrCheck = ({ csr, node, config }) => {
  const cn = csr.subject.commonName;
  // A common name that names no node is cn-not-node's finding; there is no Node to compare the names with.
  if (!cn.startsWith(NODE_CN_PREFIX) || cn.length === NODE_CN_PREFIX.length) return [];
  const nodeName = cn.slice(NODE_CN_PREFIX.length);
  const findings: Finding[] = [];
  if (node === undefined) {
    // Offline: names a pattern allows need no Node; the rest are for the approver to verify.
    const unverified = [...csr.dnsNames.filter((name) => !matchesDnsPattern(name, config.dnsPatterns)), ...csr.ipAddresses];
    const what = unverified.length > 0 ? `verify that [${unverified.join(', ')}] are its addresses` : 'every name matches a configured pattern';
    return [{ code: 'node-not-checked', severity: 'info', message: `Node "${nodeName}" not looked up (offline check): ${what}.` }];
  }
  if (node === null) {
    return [{ code: 'node-not-found', severity: 'high', message: `No Node named "${nodeName}" in the cluster: a kubelet asks only after its Node registers; verify the machine.` }];
  }
  if (node.name !== nodeName) {
    findings.push({ code: 'node-name-mismatch', severity: 'high', message: `Common name names node "${nodeName}" but the Node found is "${node.name}".` });
  }
  const ips = new Set(node.addresses.filter((a) => IP_TYPES.has(a.type)).map((a) => a.address));
  const badIps = csr.ipAddresses.filter((ip) => !ips.has(ip));
  if (badIps.length > 0) {
    findings.push({
      code: 'ip-not-node-address',
      severity: 'high',
      message: `IP addresses [${badIps.join(', ')}] are not among Node ${node.name}'s addresses [${[...ips].join(', ')}]: the kubelet asks for an address it does not have.`,
    });
  }
  const hostnames = new Set(node.addresses.filter((a) => HOSTNAME_TYPES.has(a.type)).map((a) => a.address.toLowerCase()));
  const badNames = csr.dnsNames.filter((name) => !hostnames.has(name.toLowerCase()) && !matchesDnsPattern(name, config.dnsPatterns));
  if (badNames.length > 0) {
    findings.push({
      code: 'dns-not-node-address',
      severity: 'high',
      message: `DNS names [${badNames.join(', ')}] are neither Node ${node.name}'s host names nor match a configured pattern: verify the node owns them.`,
    });
  }
  return findings;
};
