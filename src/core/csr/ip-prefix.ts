import { isIP } from 'node:net';

// IP prefixes (CIDR) for proving a serving certificate's addresses, IPv4 and IPv6, compared as integers.

export interface IpPrefix {
  text: string;
  version: 4 | 6;
  network: bigint;
  bits: number;
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group || '0', 16)), 0n);
}

/** The address as a number and its family, or undefined when it is not an IP address. */
export function ipValue(ip: string): { version: 4 | 6; value: bigint } | undefined {
  const version = isIP(ip);
  if (version === 4) return { version, value: ipv4ToBigInt(ip) };
  if (version === 6) return { version, value: ipv6ToBigInt(ip) };
  return undefined;
}

/** `10.0.0.0/24`, `fd00::/64` → a prefix; a bare address is a /32 or /128. Undefined when malformed. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const [address = '', length, ...rest] = text.trim().split('/');
  const ip = ipValue(address);
  if (!ip || rest.length > 0) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (length !== undefined && !/^\d{1,3}$/.test(length)) return undefined;
  const bits = length === undefined ? max : Number(length);
  if (bits > max) return undefined;
  const hostBits = BigInt(max - bits);
  return { text: text.trim(), version: ip.version, network: (ip.value >> hostBits) << hostBits, bits };
}

export function prefixContains(prefix: IpPrefix, ip: string): boolean {
  const parsed = ipValue(ip);
  if (!parsed || parsed.version !== prefix.version) return false;
  const hostBits = BigInt((prefix.version === 4 ? 32 : 128) - prefix.bits);
  return parsed.value >> hostBits === prefix.network >> hostBits;
}

/** The first prefix (as written) that holds the address, if any. */
export function matchingPrefix(ip: string, prefixes: readonly string[]): string | undefined {
  return prefixes.find((text) => {
    const prefix = parseIpPrefix(text);
    return prefix !== undefined && prefixContains(prefix, ip);
  });
}

/** The first usable address of a range: a Service CIDR's first address is the API server's ClusterIP. */
export function firstAddress(cidr: string): string | undefined {
  const prefix = parseIpPrefix(cidr);
  if (!prefix) return undefined;
  const value = prefix.network + 1n;
  if (prefix.version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

/** Two spellings of one address compare equal (IPv6 compression, upper case). */
export function sameIp(a: string, b: string): boolean {
  const x = ipValue(a);
  const y = ipValue(b);
  return x !== undefined && y !== undefined && x.version === y.version && x.value === y.value;
}
