import { z } from 'zod';
import { DEFAULT_CSR_POLICY } from '../core/csr/finding';
import { parseIpPrefix } from '../core/csr/ip-prefix';
import { DEFAULT_THRESHOLDS } from '../core/expiry/classify';
import { accessSettings, clusterAccess } from './access';
import { approvalOverrides, channelRef, durationSeconds, globalRoles, hostPort, roles } from './fields';

const aks = z
  .object({
    subscriptionId: z.string().min(1),
    resourceGroup: z.string().min(1),
    name: z.string().min(1),
    armEndpoint: z.url().default('https://management.azure.com'),
    // AKS approves kubelet serving CSRs itself on node pools with kubelet serving certificate rotation:
    // certops then shows them without buttons and never decides them. Never inferred from a node label.
    approvesKubeletServing: z.boolean().optional(),
  })
  .strict();

const ipPrefix = z.string().refine((value) => parseIpPrefix(value) !== undefined, {
  message: 'expected an IP prefix such as 10.0.0.0/16 or fd00::/64',
});

// What proves a kubelet serving certificate's names (csr.* globally, clusters[].csr for one cluster).
const servingProof = {
  dnsPatterns: z.array(z.string().min(1)),
  ipPrefixes: z.array(ipPrefix),
  serviceCidrs: z.array(ipPrefix),
  bypassHostnameCheck: z.boolean(),
};

const clusterCsr = z
  .object({
    dnsPatterns: servingProof.dnsPatterns.optional(),
    ipPrefixes: servingProof.ipPrefixes.optional(),
    serviceCidrs: servingProof.serviceCidrs.optional(),
    bypassHostnameCheck: servingProof.bypassHostnameCheck.optional(),
  })
  .strict();

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user ID (U0123ABCD)');

// The people behind Kubernetes identities: their votes never count on CSRs those identities created.
// A name mapped to [] is known to be no person (a machine identity such as system:nodes).
const identities = z
  .object({
    users: z.record(z.string().min(1), z.array(slackUserId)).default({}),
    groups: z.record(z.string().min(1), z.array(slackUserId)).default({}),
  })
  .strict()
  .default({ users: {}, groups: {} });

const kms = z
  .object({
    keyVaultUrl: z.url(),
    keyName: z.string().min(1),
    // Key Vault's 401 challenge names a resource that must be a parent of the vault's host; only a vault
    // behind a custom host name needs this off (the sandbox vault, `*.vault.localhost`, passes the check).
    verifyChallengeResource: z.boolean().default(true),
  })
  .strict();

const kubeadm = z
  .object({
    enabled: z.boolean().default(false),
    image: z.string().min(1).default('registry.k8s.io/kubeadm:v1.31.0'),
    namespace: z.string().min(1).optional(),
    controlPlaneSelector: z.string().default('node-role.kubernetes.io/control-plane'),
  })
  .strict();

const cluster = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'expected a lower-case name (letters, digits, dashes)'),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    inCluster: z.boolean().default(false),
    channel: channelRef.optional(),
    roles: roles.optional(),
    aks: aks.optional(),
    kms: kms.optional(),
    kubeadm: kubeadm.optional(),
    csr: clusterCsr.optional(),
    endpoints: z.array(hostPort).default([]),
    approvals: approvalOverrides.default({}),
    allowSinglePersonApproval: z.boolean().default(false),
    /** How the people who may approve a new request hear of it (never the requester): mentioned in the card, a direct message, both, or []. */
    notifyApprovers: z.array(z.enum(['mention', 'dm'])).optional(),
    access: clusterAccess.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.kubeconfig && !value.inCluster) {
      ctx.addIssue({ code: 'custom', path: ['kubeconfig'], message: 'required (or set inCluster: true)' });
    }
    if (value.kubeconfig && value.inCluster) {
      ctx.addIssue({ code: 'custom', path: ['inCluster'], message: 'cannot be combined with kubeconfig' });
    }
    if (value.kms && !value.aks) {
      ctx.addIssue({
        code: 'custom',
        path: ['kms'],
        message: 'needs aks: certops rotates the KMS key of an AKS cluster',
      });
    }
  });

const redis = z
  .object({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://host:port')
      .optional(),
    sentinel: z
      .object({ name: z.string().min(1), nodes: z.array(hostPort).min(1) })
      .strict()
      .optional(),
    cluster: z
      .object({ nodes: z.array(hostPort).min(1) })
      .strict()
      .optional(),
    // The hash tag keeps every queue key in one Redis Cluster slot.
    prefix: z
      .string()
      .regex(/^\{[^{}]+\}$/, 'expected a hash tag such as {certops}')
      .default('{certops}'),
  })
  .strict()
  .default({ prefix: '{certops}' });

const slack = z
  .object({
    mode: z.enum(['socket', 'http']).default('socket'),
    defaultChannel: channelRef.optional(),
    roles: globalRoles.default({ operators: [], approvers: [], clusters: {} }),
  })
  .strict()
  .default({ mode: 'socket', roles: { operators: [], approvers: [], clusters: {} } });

const expiry = z
  .object({
    warning: durationSeconds.default(DEFAULT_THRESHOLDS.warningSeconds),
    critical: durationSeconds.default(DEFAULT_THRESHOLDS.criticalSeconds),
    scanInterval: durationSeconds.default(6 * 3600),
    endpoints: z.array(hostPort).default([]),
  })
  .strict()
  .default({
    warning: DEFAULT_THRESHOLDS.warningSeconds,
    critical: DEFAULT_THRESHOLDS.criticalSeconds,
    scanInterval: 6 * 3600,
    endpoints: [],
  })
  .refine((value) => value.critical < value.warning, {
    message: 'critical must be shorter than warning',
    path: ['critical'],
  });

const approvals = z
  .object({
    lifetime: durationSeconds.default(3600),
    // How often the leader looks for requests whose lifetime is over.
    sweepInterval: durationSeconds.default(5),
  })
  .strict()
  .default({ lifetime: 3600, sweepInterval: 5 });

const CSR_DEFAULTS = {
  autoApprove: [],
  autoDeny: [],
  maxExpiration: DEFAULT_CSR_POLICY.maxExpirationSeconds,
  dnsPatterns: DEFAULT_CSR_POLICY.dnsPatterns,
  ipPrefixes: DEFAULT_CSR_POLICY.ipPrefixes,
  serviceCidrs: DEFAULT_CSR_POLICY.serviceCidrs,
  bypassHostnameCheck: DEFAULT_CSR_POLICY.bypassHostnameCheck,
  unmappedRequesterExtraApprovals: 1,
  burstWindow: 3,
};

const csr = z
  .object({
    autoApprove: z.array(z.enum(['kubelet-serving'])).default([]),
    autoDeny: z.array(z.enum(['invalid'])).default([]),
    maxExpiration: durationSeconds.default(DEFAULT_CSR_POLICY.maxExpirationSeconds),
    dnsPatterns: servingProof.dnsPatterns.default(CSR_DEFAULTS.dnsPatterns),
    ipPrefixes: servingProof.ipPrefixes.default(CSR_DEFAULTS.ipPrefixes),
    serviceCidrs: servingProof.serviceCidrs.default(CSR_DEFAULTS.serviceCidrs),
    bypassHostnameCheck: servingProof.bypassHostnameCheck.default(false),
    // A high-risk CSR whose requester maps to no person (identities) needs this many more approvers.
    unmappedRequesterExtraApprovals: z.number().int().min(0).max(5).default(1),
    burstWindow: durationSeconds.default(3),
  })
  .strict()
  .default(CSR_DEFAULTS);

// Which replica leads (watches and posts): a Lease when certops runs inside a cluster, a Redis lock otherwise.
const leaderElection = z
  .object({
    mode: z.enum(['auto', 'lease', 'redis']).default('auto'),
    namespace: z.string().min(1).optional(),
    leaseName: z.string().min(1).optional(),
  })
  .strict()
  .default({ mode: 'auto' });

const audit = z
  .object({ retention: durationSeconds.default(400 * 86400) })
  .strict()
  .default({ retention: 400 * 86400 });

// Re-encryption rewrites every secret of a cluster; this caps its writes per second across every worker (unset: no
// cap, only the API server's 429s slow it down).
const reencrypt = z
  .object({ maxWritesPerSecond: z.number().positive().max(100_000).optional() })
  .strict()
  .default({});

const portNumber = z.number().int().min(0).max(65535);

export const DEFAULT_SERVER = { port: 3000, metricsPort: 9464, metricsHost: '127.0.0.1' };

// Two listeners: `port` faces Slack (HTTP mode only, /slack/events alone); health and metrics name every
// certificate and internal endpoint, so they answer on their own listener, loopback unless configured.
const server = z
  .object({
    port: portNumber.default(DEFAULT_SERVER.port),
    metricsPort: portNumber.default(DEFAULT_SERVER.metricsPort),
    metricsHost: z.string().min(1).default(DEFAULT_SERVER.metricsHost),
  })
  .strict()
  .default(DEFAULT_SERVER);

export const configSchema = z
  .object({
    slack,
    redis,
    expiry,
    approvals,
    csr,
    identities,
    audit,
    server,
    leaderElection,
    reencrypt,
    access: accessSettings,
    clusters: z.array(cluster).default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.clusters.forEach((c, index) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', index, 'name'],
          message: `duplicate cluster name "${c.name}"`,
        });
      seen.add(c.name);
    });
  });

export type CertopsConfig = z.infer<typeof configSchema>;
export type ClusterConfig = CertopsConfig['clusters'][number];
export type RolesConfig = z.infer<typeof roles>;
