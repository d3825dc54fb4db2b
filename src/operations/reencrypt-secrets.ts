import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../util/logger';
import { runBounded } from './bounded-pool';
import { apiCall, classifyApiError, errorStatus } from './errors/classify-api-error';
import type { NamespaceCheckpoint, ReencryptCheckpointStore } from '../state/reencrypt-checkpoint';
import {
  type RawSecret,
  type RawSecretPage,
  type SecretsHttpClient,
  SecretsHttpError,
  secretsHttpClient,
  throttledRetryAfterMs,
} from './secrets-http-client';
import { MAX_RETRY_AFTER_MS, WritePacer, wallClock, type WriteTokens } from './write-pacer';
import { LeaseLostError } from '../state/fence';

export const SECRET_PAGE_SIZE = 250;
/** Enough writes in flight to hide the API server's latency (measured: 8 left it idle between answers). */
export const SECRETS_IN_FLIGHT = 16;
const MAX_CONFLICT_RETRIES = 5;

const MAX_REFUSALS = 30;

/** A client-node call that waits out the API server's 429s (their Retry-After, bounded) before it counts as failed. */
async function patientApiCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  for (let refusals = 0; ; refusals++) {
    try {
      return await fn();
    } catch (err) {
      if (errorStatus(err) !== 429 || refusals >= MAX_REFUSALS) return apiCall(() => Promise.reject(err), what);
      const seconds = Number((err as { headers?: Record<string, string> }).headers?.['retry-after'] ?? 1);
      await wallClock.sleep(Math.min(MAX_RETRY_AFTER_MS, (Number.isFinite(seconds) ? seconds : 1) * 1000));
    }
  }
}

/** How many secrets a namespace holds, from one small page and the server's remainingItemCount. */
export async function countSecrets(kc: KubeConfig, namespace: string): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const page = await patientApiCall(
    () => core.listNamespacedSecret({ namespace, limit: 1 }),
    `counting secrets in ${namespace}`,
  );
  return page.items.length + (page.metadata?.remainingItemCount ?? 0);
}

/** Every namespace of the cluster, listed page by page. */
export async function listNamespaceNames(kc: KubeConfig): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await patientApiCall(
      () => core.listNamespace({ limit: SECRET_PAGE_SIZE, _continue: token }),
      'listing namespaces',
    );
    for (const ns of page.items) if (ns.metadata?.name) names.push(ns.metadata.name);
    token = page.metadata?._continue || undefined;
  } while (token);
  return names;
}

export interface ReencryptNamespaceOptions {
  requestId: string;
  namespace: string;
  checkpoints: ReencryptCheckpointStore;
  logger: Logger;
  concurrency?: number;
  pageSize?: number;
  /** A client to share between namespaces; by default one is made from the KubeConfig and closed at the end. */
  client?: SecretsHttpClient;
  /** Longest wait for one API call of the default client (SECRETS_CALL_TIMEOUT_MS unless set). */
  timeoutMs?: number;
  /** The cluster's write-rate cap, shared with every other writer of the cluster. */
  tokens?: WriteTokens;
  /** Paces this run's calls (429 Retry-After, concurrency); by default one is made from concurrency and tokens. */
  pacer?: WritePacer;
  /** Called before each secret is written; throws to stop (the run no longer owns the cluster). */
  beforeWrite?: () => Promise<void>;
  /** Called after every finished page with the number of secrets it handled. */
  onPage?: (handled: number, checkpoint: NamespaceCheckpoint) => void | Promise<void>;
}

type Paced = ReencryptNamespaceOptions & { concurrency: number; pacer: WritePacer };

/**
 * Rewrites every secret of one namespace unchanged (replace PUT), so the API server stores it encrypted with the
 * current KMS key. Holds one page in memory; the checkpoint after each page lets a crashed worker resume there.
 * A secret deleted meanwhile (404) is skipped; a concurrent update (409) is re-read and written again.
 */
export async function reencryptNamespace(
  kc: KubeConfig,
  options: ReencryptNamespaceOptions,
): Promise<NamespaceCheckpoint> {
  const concurrency = options.concurrency ?? SECRETS_IN_FLIGHT;
  const client = options.client ?? secretsHttpClient(kc, { maxSockets: concurrency, timeoutMs: options.timeoutMs });
  const pacer = options.pacer ?? new WritePacer({ maxInFlight: concurrency, tokens: options.tokens });
  try {
    return await reencryptWith(client, { ...options, concurrency, pacer });
  } finally {
    if (!options.client) client.close();
  }
}

async function reencryptWith(client: SecretsHttpClient, options: Paced): Promise<NamespaceCheckpoint> {
  const { requestId, namespace, checkpoints } = options;
  const checkpoint = await checkpoints.load(requestId, namespace);
  if (checkpoint.done) return checkpoint;

  for (;;) {
    const page = await listPage(client, options.pacer, namespace, checkpoint, options.pageSize ?? SECRET_PAGE_SIZE);
    // After a relist (expired continue token) the names up to the checkpoint are already rewritten.
    const todo = page.items.filter((s) => !checkpoint.lastName || s.metadata.name > checkpoint.lastName);
    let skipped = 0;
    await runBounded(todo, options.concurrency, async (secret) => {
      if (!(await rewriteSecret(client, options.pacer, secret, options.beforeWrite))) skipped++;
    });
    checkpoint.rewritten += todo.length - skipped;
    checkpoint.skipped += skipped;
    // Never move backwards: after a relist the first pages end before the checkpoint.
    const pageLast = page.items.at(-1)?.metadata.name;
    if (pageLast && (!checkpoint.lastName || pageLast > checkpoint.lastName)) checkpoint.lastName = pageLast;
    checkpoint.continueToken = page.continueToken;
    checkpoint.done = !checkpoint.continueToken;
    await checkpoints.save(requestId, namespace, checkpoint);
    await options.onPage?.(todo.length, checkpoint);
    if (checkpoint.done) return checkpoint;
  }
}

/**
 * A continue token expires (410 Expired) once the API server's history no longer reaches back to the first page,
 * which happens on a busy cluster or after a long pause (a crashed worker). The 410 carries a fresh token that lists
 * on after the same key, so finished pages are neither listed nor rewritten again; without one (or if that one is
 * refused too), list again from the start and let the caller skip the names up to the checkpoint.
 */
async function listPage(
  client: SecretsHttpClient,
  pacer: WritePacer,
  namespace: string,
  checkpoint: NamespaceCheckpoint,
  limit: number,
): Promise<RawSecretPage> {
  let usedFreshToken = false;
  for (;;) {
    try {
      return await pacer.call(
        () => client.list(namespace, limit, checkpoint.continueToken),
        false,
        throttledRetryAfterMs,
      );
    } catch (err) {
      if (errorStatus(err) !== 410 || !checkpoint.continueToken)
        throw classifyApiError(err, `listing secrets in ${namespace}`);
      const fresh: string | undefined =
        err instanceof SecretsHttpError && !usedFreshToken ? err.continueToken : undefined;
      usedFreshToken ||= fresh !== undefined;
      checkpoint.continueToken = fresh;
    }
  }
}

/**
 * Returns false when the secret no longer exists. A 429 is waited out by the pacer, never counted as an attempt.
 * `beforeWrite` runs right before each PUT leaves (after any pacing wait). Each PUT carries the resourceVersion it
 * read, so one sent before this run lost the cluster and delivered after another run rewrote the secret is refused
 * (409) by the API server.
 */
async function rewriteSecret(
  client: SecretsHttpClient,
  pacer: WritePacer,
  listed: RawSecret,
  beforeWrite?: () => Promise<void>,
): Promise<boolean> {
  const { name, namespace } = listed.metadata;
  let current = listed;
  for (let attempt = 0; ; attempt++) {
    try {
      await pacer.call(
        async () => {
          await beforeWrite?.();
          await client.replace(current);
        },
        true,
        throttledRetryAfterMs,
      );
      return true;
    } catch (err) {
      if (err instanceof LeaseLostError) throw err;
      const status = errorStatus(err);
      if (status === 404) return false;
      if (status !== 409 || attempt >= MAX_CONFLICT_RETRIES)
        throw classifyApiError(err, `rewriting secret ${namespace}/${name}`);
    }
    try {
      current = await pacer.call(() => client.read(namespace, name), false, throttledRetryAfterMs);
    } catch (err) {
      if (errorStatus(err) === 404) return false;
      throw classifyApiError(err, `reading secret ${namespace}/${name}`);
    }
  }
}
