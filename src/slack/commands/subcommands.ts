// The /certs subcommands as users see them in help; each has a usage and an example built from the configuration.

/** What the examples are made of: names that exist in this installation. */
export interface HelpExamples {
  /** Any configured cluster (a placeholder when none is). */
  cluster: string;
  /** A cluster and an operation it supports, for the rotate example. */
  rotate: { operation: string; cluster: string };
  /** A cluster with an access level, when one is configured. */
  access?: { cluster: string; level: string };
  /** An id in the shape request ids have. */
  requestId: string;
}

export interface SubcommandHelp {
  name: string;
  usage: string;
  example: (e: HelpExamples) => string;
  summary: string;
}

export const SUBCOMMANDS: readonly SubcommandHelp[] = [
  { name: 'help', usage: 'help', example: () => '/certs help', summary: 'this list' },
  {
    name: 'status',
    usage: 'status [cluster] [--refresh]',
    example: (e) => `/certs status ${e.cluster}`,
    summary: 'what needs attention per cluster, from the latest scan',
  },
  {
    name: 'expiring',
    usage: 'expiring [within 30d] [cluster] [--refresh]',
    example: () => '/certs expiring within 14d',
    summary: 'certificates and keys that need attention soon',
  },
  {
    name: 'csr',
    usage: 'csr [cluster]',
    example: (e) => `/certs csr ${e.cluster}`,
    summary: 'pending CertificateSigningRequests',
  },
  {
    name: 'rotate',
    usage: 'rotate [operation cluster reason… [--confirm cluster]]',
    example: (e) => `/certs rotate ${e.rotate.operation} ${e.rotate.cluster} certificates expire in 5 days`,
    summary: 'request a rotation (opens a form without arguments; a dangerous one asks you to type the cluster name)',
  },
  {
    name: 'requests',
    usage: 'requests [cluster]',
    example: (e) => `/certs requests ${e.cluster}`,
    summary: 'pending approval requests',
  },
  { name: 'jobs', usage: 'jobs', example: () => '/certs jobs', summary: 'running and failed jobs' },
  {
    name: 'cancel',
    usage: 'cancel ID',
    example: (e) => `/certs cancel ${e.requestId}`,
    summary: 'cancel your own pending request',
  },
  {
    name: 'digest',
    usage: 'digest subscribe|unsubscribe|list|now [cluster|all] [at HH:MM] [tz Area/City] [nochart]',
    example: () => '/certs digest subscribe all at 09:00 tz Europe/Zurich',
    summary: 'the daily expiry digest in this channel',
  },
  {
    name: 'access',
    usage: 'access [cluster level duration reason…]',
    example: (e) =>
      e.access ? `/certs access ${e.access.cluster} ${e.access.level} 1h debugging INC-4711` : '/certs access',
    summary: 'temporary access, two-person approved (without arguments: who has access now)',
  },
  {
    name: 'audit',
    usage: 'audit [N] [cluster]',
    example: (e) => `/certs audit 20 ${e.cluster}`,
    summary: 'the latest audit entries',
  },
];

export interface ParsedCommandText {
  subcommand: string;
  args: string[];
}

/** Splits "/certs rotate aks-rotate-certs prod  reason words" into the subcommand and its arguments. */
export function parseCommandText(text: string): ParsedCommandText {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [first, ...args] = words;
  return { subcommand: (first ?? 'help').toLowerCase(), args };
}
