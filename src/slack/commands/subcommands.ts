// The /certs subcommands as users see them in help; each line is a usage and an example.
export interface SubcommandHelp {
  name: string;
  usage: string;
  example: string;
  summary: string;
}

export const SUBCOMMANDS: readonly SubcommandHelp[] = [
  { name: 'help', usage: 'help', example: '/certs help', summary: 'this list' },
  { name: 'status', usage: 'status [cluster] [--refresh]', example: '/certs status prod-aks', summary: 'certificate counts by status, from the latest scan' },
  { name: 'expiring', usage: 'expiring [within 30d] [cluster] [--refresh]', example: '/certs expiring within 14d', summary: 'what expires soon' },
  { name: 'csr', usage: 'csr [cluster]', example: '/certs csr prod-kubeadm', summary: 'pending CertificateSigningRequests' },
  { name: 'rotate', usage: 'rotate [operation cluster reason…]', example: '/certs rotate aks-rotate-certs prod-aks certificates expire in 5 days', summary: 'request a rotation (opens a form without arguments)' },
  { name: 'requests', usage: 'requests [cluster]', example: '/certs requests prod-aks', summary: 'pending approval requests' },
  { name: 'jobs', usage: 'jobs', example: '/certs jobs', summary: 'running and failed jobs' },
  { name: 'cancel', usage: 'cancel ID', example: '/certs cancel 01J9ZK2M', summary: 'cancel your own pending request' },
  { name: 'digest', usage: 'digest subscribe|unsubscribe|list|now [cluster|all] [at HH:MM] [tz Area/City] [nochart]', example: '/certs digest subscribe all at 09:00 tz Europe/Zurich', summary: 'the daily expiry digest in this channel' },
  { name: 'access', usage: 'access [cluster level duration reason…]', example: '/certs access prod-kubeadm view 1h debugging INC-4711', summary: 'temporary access, two-person approved (without arguments: who has access now)' },
  { name: 'audit', usage: 'audit [N] [cluster]', example: '/certs audit 20 prod-aks', summary: 'the latest audit entries' },
];

export interface ParsedCommandText {
  subcommand: string;
  args: string[];
}

/** Splits "/certs rotate aks-rotate-certs prod  reason words" into the subcommand and its arguments. */
export function parseCommandText(text: string): ParsedCommandText {
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
  const [first, ...args] = words;
  return { subcommand: (first ?? 'help').toLowerCase(), args };
}
