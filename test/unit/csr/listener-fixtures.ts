import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { configSchema, type CertopsConfig } from '../../../src/config/schema';
import { encodeCsrButton, type CsrButtonValue } from '../../../src/csr/blocks/csr-button-value';
import type { ClusterCsrApi } from '../../../src/csr/cluster-csr-api';
import { CsrDecisions } from '../../../src/csr/csr-decisions';
import type { CsrGroups } from '../../../src/csr/csr-group-message';
import type { Authorisation } from '../../../src/core/roles/authorise';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { createCsr } from '../../../src/sandbox/pki/issue';
import { clickBody, fakeBolt, fakeDirectory, type FakeBolt } from '../../helpers/fake-bolt';

// What the CSR listener tests share: the people, a CSR button, a click on it, a cluster API that answers from
// memory, and readers for what the listener told the clicker.

export const CHANNEL = 'C0PLATFORM';
export const CARD_TS = '1733390000.000100';
export const TARGET: CsrButtonValue = { cluster: 'prod', name: 'csr-abc', uid: 'uid-1' };
export const VALUE = encodeCsrButton(TARGET);

/** Button values certops never wrote: each must be refused before any lookup. */
export const FORGED_VALUES: Array<[string, string | undefined]> = [
  ['no value at all', undefined],
  ['a value that is not JSON', 'rm -rf /'],
  ['a value without the uid', JSON.stringify({ c: 'prod', n: 'csr-abc' })],
  ['a cluster name with markup', encodeCsrButton({ ...TARGET, cluster: '<!channel>' })],
  ['a value longer than Slack sends', encodeCsrButton({ ...TARGET, name: 'x'.repeat(2100) })],
];

export function config(): CertopsConfig {
  return configSchema.parse({
    clusters: [
      { name: 'prod', kubeconfig: '/unused', channel: CHANNEL },
      { name: 'staging', kubeconfig: '/unused', channel: CHANNEL },
    ],
  });
}

/** operators / approvers by id; a guest listed as an operator (guests never count). */
export function directory() {
  const inner = fakeDirectory(
    { operators: ['U0OPERATOR', 'U0GUEST'], approvers: ['U0APPROVER'] },
    { U0GUEST: { isRestricted: true } },
  );
  const asked: Array<{ userId: string; cluster: string | undefined; opts: unknown }> = [];
  return {
    asked,
    authorise: (userId: string, cluster?: string, opts?: { fresh?: boolean }) => {
      asked.push({ userId, cluster, opts });
      return inner.authorise(userId);
    },
  };
}

export type ClickArgs = ActionArgs<ButtonAction>;

/** A click on a CSR card's button, as Bolt hands it to the listener. */
export function click(
  userId: string,
  value: string | undefined,
  where: { channel?: string; ts?: string; threadTs?: string } = { channel: CHANNEL, ts: CARD_TS },
  answers: Parameters<typeof fakeBolt>[0] = {},
) {
  const bolt = fakeBolt(answers);
  const body = clickBody(userId, where) as { message?: Record<string, unknown> };
  if (where.threadTs && body.message) body.message.thread_ts = where.threadTs;
  const args = {
    ack: bolt.ack,
    respond: bolt.respond,
    client: bolt.client,
    body: body as unknown as BlockAction<ButtonAction>,
    action: {
      type: 'button',
      action_id: 'certops_csr',
      block_id: 'b',
      action_ts: '1',
      text: { type: 'plain_text', text: 'Button' },
      value,
    },
  } as unknown as ClickArgs;
  return { bolt, args };
}

export interface Ephemeral {
  channel: unknown;
  user: unknown;
  thread_ts?: unknown;
  text: string;
  /** Drawn as a problem (errorBlocks: a warning sign), not as a plain confirmation. */
  problem: boolean;
}

/** Every ephemeral answer the listener sent through chat.postEphemeral. */
export function ephemerals(bolt: FakeBolt): Ephemeral[] {
  return bolt.calls
    .filter((c) => c.method === 'chat.postEphemeral')
    .map(({ args }) => {
      const blocks = args.blocks as Array<{ text?: { text?: string } }>;
      return {
        channel: args.channel,
        user: args.user,
        ...(args.thread_ts !== undefined ? { thread_ts: args.thread_ts } : {}),
        text: String(args.text),
        problem: String(blocks[0]?.text?.text ?? '').startsWith(':warning:'),
      };
    });
}

/** What a fake decision service was asked: which CSR, by whom, with which rights. */
export interface DecisionCall {
  method: string;
  target: unknown;
  actor: unknown;
  auth: Authorisation;
  extra?: unknown;
}

/**
 * A pending CSR (kube-apiserver-client signer, so no Node facts are needed) served by a cluster API held in
 * memory: the real decision service reads and reviews it, and refuses or decides as it would on a cluster.
 */
export async function memoryCluster(
  cfg: CertopsConfig,
): Promise<{ clusters: Map<string, ClusterCsrApi>; csr: V1CertificateSigningRequest; reads: string[] }> {
  const { csrPem } = await createCsr({ commonName: 'alice', organizations: ['dev'] });
  const csr: V1CertificateSigningRequest = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: TARGET.name, uid: TARGET.uid, creationTimestamp: new Date('2030-01-01T00:00:00Z') },
    spec: {
      request: Buffer.from(csrPem).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    },
    status: {},
  };
  const reads: string[] = [];
  const cluster = cfg.clusters.find((c) => c.name === TARGET.cluster);
  if (!cluster) throw new Error('the test configuration has no prod cluster');
  const unused = () => Promise.reject(new Error('not used by this test'));
  const api = {
    cluster,
    channel: CHANNEL,
    approval: { read: unused, replaceApproval: unused },
    lookupNode: unused,
    listNodes: () => Promise.resolve([]),
    nodeClientAccess: unused,
    find: (name: string) => {
      reads.push(name);
      return Promise.resolve(name === TARGET.name ? csr : undefined);
    },
    source: { list: unused, watch: unused },
  } as unknown as ClusterCsrApi;
  return { clusters: new Map([[TARGET.cluster, api]]), csr, reads };
}

/**
 * The real decision service over the cluster held in memory (or over no cluster at all): it reads the CSR and
 * applies the rules itself. Cards and approvals are only reached once a refusal check passes, so a refusal test
 * leaves them out; refusals are audited, and the audit is recorded here.
 */
export async function realDecisions(clusters: 'memory' | 'none', groups: Partial<CsrGroups> = {}) {
  const cfg = config();
  const memory = await memoryCluster(cfg);
  const audited: Record<string, unknown>[] = [];
  const audit = { append: (entry: Record<string, unknown>) => Promise.resolve(void audited.push(entry)) } as never;
  const cards = { redrawGroup: () => Promise.resolve() } as never;
  const decisions = new CsrDecisions({
    clusters: clusters === 'memory' ? memory.clusters : new Map(),
    config: cfg,
    cards,
    groups: groups as CsrGroups,
    approvals: {} as never,
    audit,
    now: () => new Date('2030-01-01T01:00:00Z'),
  });
  return { decisions, reads: memory.reads, audited };
}
