import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'node:https';
import type { SecureContextOptions } from 'node:tls';

/** `localhost` and every name under it (RFC 6761 §6.3): loopback, never asked of DNS. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => void;

/**
 * `dns.lookup` as RFC 6761 asks resolvers to behave: names under `.localhost` are the loopback address. glibc
 * resolves only `localhost` itself, so a service addressed by name on this machine (the sandbox's Key Vault at
 * `certops-sim.vault.localhost`) would not resolve; browsers, curl and systemd-resolved already do this.
 */
export function lookupWithLocalhostNames(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    dnsLookup(hostname, options, callback);
    return;
  }
  const v6 = options.family === 6 || options.family === 'IPv6';
  const address: LookupAddress = v6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 };
  process.nextTick(() =>
    options.all ? callback(null, [address], address.family) : callback(null, address.address, address.family),
  );
}

/** A keep-alive HTTPS agent that resolves `.localhost` names, with extra TLS trust when given. */
export function httpsAgentWithLocalhostNames(tls: SecureContextOptions = {}): Agent {
  return new Agent({ keepAlive: true, lookup: lookupWithLocalhostNames, ...tls });
}
