import { matchesDnsPattern } from '../dns-pattern';
import { NODE_CN_PREFIX, type CsrCheck, type CsrCheckInput, type Finding, type NodeFacts } from '../finding';
import { firstAddress, ipValue, matchingPrefix, sameIp } from '../ip-prefix';

// A kubelet writes its own Node.status.addresses, so the status proves nothing: it is shown to people,
// never counted. A serving name is proven only by configuration (csr.dnsPatterns, csr.ipPrefixes), the
// way kubelet-csr-approver proves them with providerRegex and providerIpPrefixes; and no proof helps a
// name that belongs to the API server, to another Node, or to loopback.

const HOSTNAME_TYPES = new Set(['Hostname', 'InternalDNS', 'ExternalDNS']);
const IP_TYPES = new Set(['InternalIP', 'ExternalIP']);

/** One name of a serving request and what backs it, as the card shows it. */
export interface NameProof {
  kind: 'DNS' | 'IP';
  name: string;
  /** The configured pattern or prefix that proves it; undefined when nothing does. */
  proof?: string;
  /** The Node's status lists it: the kubelet's own word, shown and never counted. */
  inNodeStatus: boolean;
  /** Whose it is when it is not this node's: the API server, another Node, loopback. */
  conflict?: string;
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

function nodeNameOf(input: CsrCheckInput): string {
  return input.csr.subject.commonName.slice(NODE_CN_PREFIX.length);
}

/** The node's name itself, or a name under it (`worker-1`, `worker-1.nodes.example.com`; never `worker-10`). */
function isUnder(name: string, nodeName: string): boolean {
  const node = normalise(nodeName);
  return name === node || name.startsWith(`${node}.`);
}

function apiServerName(name: string): boolean {
  return (
    name === 'kubernetes' ||
    name === 'kubernetes.default' ||
    name.startsWith('kubernetes.default.') ||
    name.endsWith('.svc') ||
    name.includes('.svc.') ||
    name === 'cluster.local' ||
    name.endsWith('.cluster.local')
  );
}

function dnsConflict(name: string, otherNodes: NodeFacts[]): string | undefined {
  if (apiServerName(name)) return 'the API server (a Service name)';
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  const owner = otherNodes.find(
    (other) =>
      isUnder(name, other.name) ||
      other.addresses.some((a) => HOSTNAME_TYPES.has(a.type) && normalise(a.address) === name),
  );
  return owner ? `Node ${owner.name}` : undefined;
}

function reservedKind(ip: string): string | undefined {
  const parsed = ipValue(ip);
  if (!parsed) return undefined;
  const inRange = (cidr: string) => matchingPrefix(ip, [cidr]) !== undefined;
  if (parsed.version === 4) {
    if (inRange('127.0.0.0/8')) return 'loopback';
    if (inRange('0.0.0.0/8')) return 'an unspecified address';
    if (inRange('169.254.0.0/16')) return 'a link-local address (cloud metadata lives there)';
    if (inRange('224.0.0.0/4') || inRange('255.255.255.255/32')) return 'a multicast or broadcast address';
    return undefined;
  }
  if (inRange('::1/128')) return 'loopback';
  if (inRange('::/128')) return 'an unspecified address';
  if (inRange('fe80::/10')) return 'a link-local address';
  if (inRange('ff00::/8')) return 'a multicast address';
  if (inRange('::ffff:0:0/96')) return reservedKind(ip.slice(ip.lastIndexOf(':') + 1));
  return undefined;
}

function ipConflict(ip: string, input: CsrCheckInput): string | undefined {
  const reserved = reservedKind(ip);
  if (reserved) return reserved;
  const apiServer = input.config.serviceCidrs
    .map(firstAddress)
    .find((first) => first !== undefined && sameIp(first, ip));
  if (apiServer) return "the API server (the Service CIDR's first address, its ClusterIP)";
  const owner = (input.otherNodes ?? []).find((other) =>
    other.addresses.some((a) => IP_TYPES.has(a.type) && sameIp(a.address, ip)),
  );
  return owner ? `Node ${owner.name}` : undefined;
}

/** Every DNS name and IP of a serving request with its proof and its owner, if not this node. */
export function servingNameProofs(input: CsrCheckInput): NameProof[] {
  const { csr, node, config } = input;
  const otherNodes = (input.otherNodes ?? []).filter((other) => other.name !== nodeNameOf(input));
  const statusNames = new Set(
    (node?.addresses ?? []).filter((a) => HOSTNAME_TYPES.has(a.type)).map((a) => normalise(a.address)),
  );
  const statusIps = (node?.addresses ?? []).filter((a) => IP_TYPES.has(a.type)).map((a) => a.address);
  const dns = csr.dnsNames.map((raw): NameProof => {
    const name = normalise(raw);
    const pattern = config.dnsPatterns.find((p) => matchesDnsPattern(name, [p]));
    const conflict = dnsConflict(name, otherNodes);
    return {
      kind: 'DNS',
      name: raw,
      ...(pattern ? { proof: `pattern ${pattern}` } : {}),
      inNodeStatus: statusNames.has(name),
      ...(conflict ? { conflict } : {}),
    };
  });
  const ips = csr.ipAddresses.map((ip): NameProof => {
    const prefix = matchingPrefix(ip, config.ipPrefixes);
    const conflict = ipConflict(ip, { ...input, otherNodes });
    return {
      kind: 'IP',
      name: ip,
      ...(prefix ? { proof: `prefix ${prefix}` } : {}),
      inNodeStatus: statusIps.some((s) => sameIp(s, ip)),
      ...(conflict ? { conflict } : {}),
    };
  });
  return [...dns, ...ips];
}

function finding(code: string, names: string[], message: (list: string) => string): Finding[] {
  return names.length === 0 ? [] : [{ code, severity: 'high', message: message(`[${names.join(', ')}]`) }];
}

const list = (proofs: NameProof[], keep: (p: NameProof) => boolean) => proofs.filter(keep).map((p) => p.name);

/** Every name is proven by configuration and belongs to nobody else; the Node exists and is the one named. */
export const servingNamesProven: CsrCheck = (input) => {
  const { node, config } = input;
  const cn = input.csr.subject.commonName;
  // A common name that names no node is cn-not-node's finding; there is no Node to hold the names against.
  if (!cn.startsWith(NODE_CN_PREFIX) || cn.length === NODE_CN_PREFIX.length) return [];
  const nodeName = nodeNameOf(input);
  const proofs = servingNameProofs(input);
  const findings: Finding[] = [];
  if (node === null) {
    findings.push({
      code: 'node-not-found',
      severity: 'high',
      message: `No Node named "${nodeName}" in the cluster: a kubelet asks only after its Node registers; verify the machine.`,
    });
  } else if (node && node.name !== nodeName) {
    findings.push({
      code: 'node-name-mismatch',
      severity: 'high',
      message: `Common name names node "${nodeName}" but the Node found is "${node.name}".`,
    });
  }
  const owned = (p: NameProof, owner: (c: string) => boolean) => p.conflict !== undefined && owner(p.conflict);
  const isApi = (c: string) => c.startsWith('the API server');
  const isNode = (c: string) => c.startsWith('Node ');
  const dns = proofs.filter((p) => p.kind === 'DNS');
  const ips = proofs.filter((p) => p.kind === 'IP');
  findings.push(
    ...finding(
      'api-server-name',
      list(dns, (p) => owned(p, isApi)),
      (l) =>
        `DNS names ${l} are the API server's Service names: a certificate for them lets the holder impersonate the API server inside the cluster. Deny.`,
    ),
    ...finding(
      'api-server-ip',
      list(ips, (p) => owned(p, isApi)),
      (l) =>
        `IP addresses ${l} are the API server's ClusterIP (the first address of the Service CIDR): a certificate for them lets the holder impersonate the API server. Deny.`,
    ),
    ...finding(
      'other-node-name',
      list(dns, (p) => owned(p, isNode)),
      (l) =>
        `DNS names ${l} belong to other Nodes (${dns
          .filter((p) => owned(p, isNode))
          .map((p) => p.conflict)
          .join(', ')}): a certificate for them lets this node impersonate them.`,
    ),
    ...finding(
      'other-node-address',
      list(ips, (p) => owned(p, isNode)),
      (l) =>
        `IP addresses ${l} are other Nodes' addresses (${ips
          .filter((p) => owned(p, isNode))
          .map((p) => p.conflict)
          .join(', ')}): a certificate for them lets this node impersonate them.`,
    ),
    ...finding(
      'loopback-name',
      list(dns, (p) => p.conflict === 'loopback'),
      (l) => `DNS names ${l} are loopback names: no serving certificate should name them.`,
    ),
    ...finding(
      'loopback-address',
      list(ips, (p) => p.conflict === 'loopback'),
      (l) => `IP addresses ${l} are loopback: a certificate for them is valid for a service on any machine.`,
    ),
    ...finding(
      'reserved-address',
      list(
        ips,
        (p) => p.conflict !== undefined && !isApi(p.conflict) && !isNode(p.conflict) && p.conflict !== 'loopback',
      ),
      (l) => `IP addresses ${l} are unspecified, link-local, multicast or broadcast: no node serves on them.`,
    ),
  );
  const unproven = (kind: NameProof['kind']) => list(proofs, (p) => p.kind === kind && p.proof === undefined);
  findings.push(
    ...finding('dns-not-proven', unproven('DNS'), (l) =>
      config.dnsPatterns.length === 0
        ? `DNS names ${l} are proven by nothing: no csr.dnsPatterns is configured for this cluster, and what the Node's status says is the kubelet's own word. Verify the node owns them, or configure the patterns that prove its names.`
        : `DNS names ${l} match none of the configured patterns [${config.dnsPatterns.join(', ')}]: verify the node owns them.`,
    ),
    ...finding('ip-not-proven', unproven('IP'), (l) =>
      config.ipPrefixes.length === 0
        ? `IP addresses ${l} are proven by nothing: no csr.ipPrefixes is configured for this cluster, and what the Node's status says is the kubelet's own word. Verify the node has them, or configure the prefixes your nodes' addresses come from.`
        : `IP addresses ${l} lie in none of the configured prefixes [${config.ipPrefixes.join(', ')}]: verify the node has them.`,
    ),
  );
  if (!config.bypassHostnameCheck) {
    findings.push(
      ...finding(
        'dns-not-node-hostname',
        list(dns, (p) => !isUnder(normalise(p.name), nodeName)),
        (l) =>
          `DNS names ${l} are neither "${nodeName}" nor names under it: a kubelet names itself (set csr.bypassHostnameCheck if your nodes' names differ from their DNS names).`,
      ),
    );
  }
  if (node) {
    // The status cannot prove an address, but a kubelet asking for one its own status lacks is odd.
    findings.push(
      ...finding(
        'ip-not-node-address',
        list(ips, (p) => !p.inNodeStatus),
        (l) =>
          `IP addresses ${l} are not even among the addresses Node ${node.name} reports for itself: the kubelet asks for an address it does not have.`,
      ),
    );
  }
  if (node === undefined || input.otherNodes === undefined) {
    findings.push({
      code: 'node-not-checked',
      severity: 'info',
      message: `Node "${nodeName}" and the other Nodes not looked up (offline check): verify no other node or service owns these names.`,
    });
  }
  return findings;
};
