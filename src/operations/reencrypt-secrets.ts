import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import type { Logger } from '../util/logger';
import { runBounded } from './bounded-pool';
import { apiCall, classifyApiError, errorStatus } from './errors/classify-api-error';
import type { NamespaceCheckpoint, ReencryptCheckpointStore } from './reencrypt-checkpoint';

export const SECRET_PAGE_SIZE = 250;
export const SECRETS_IN_FLIGHT = 8;
const MAX_CONFLICT_RETRIES = 5;

/** How many secrets a namespace holds, from one small page and the server's remainingItemCount. */
export async function countSecrets(kc: KubeConfig, namespace: string): Promise<number> {
  const core = kc.makeApiClient(CoreV1Api);
  const page = await apiCall(() => core.listNamespacedSecret({ namespace, limit: 1 }), `counting secrets in ${namespace}`);
  return page.items.length + (page.metadata?.remainingItemCount ?? 0);
}

/** Every namespace of the cluster, listed page by page. */
export async function listNamespaceNames(kc: KubeConfig): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await apiCall(() => core.listNamespace({ limit: SECRET_PAGE_SIZE, _continue: token }), 'listing namespaces');
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
  /** Called after every finished page with the number of secrets it handled. */
  onPage?: (handled: number, checkpoint: NamespaceCheckpoint) => void | Promise<void>;
}

/**
 * Rewrites every secret of one namespace unchanged (replace PUT), so the API server stores it encrypted with the
 * current KMS key. Holds one page in memory; the checkpoint after each page lets a crashed worker resume there.
 * A secret deleted meanwhile (404) is skipped; a concurrent update (409) is re-read and written again.
 */
export async function reencryptNamespace(kc: KubeConfig, options: ReencryptNamespaceOptions): Promise<NamespaceCheckpoint> {
  const core = kc.makeApiClient(CoreV1Api);
  const { requestId, namespace, checkpoints } = options;
  const checkpoint = await checkpoints.load(requestId, namespace);
  if (checkpoint.done) return checkpoint;

  for (;;) {
    const page = await listPage(core, namespace, checkpoint, options.pageSize ?? SECRET_PAGE_SIZE);
    // After a relist (expired continue token) the names up to the checkpoint are already rewritten.
    const todo = page.items.filter((s) => !checkpoint.lastName || (s.metadata?.name ?? '') > checkpoint.lastName);
    let skipped = 0;
    await runBounded(todo, options.concurrency ?? SECRETS_IN_FLIGHT, async (secret) => {
      if (!(await rewriteSecret(core, secret))) skipped++;
    });
    checkpoint.rewritten += todo.length - skipped;
    checkpoint.skipped += skipped;
    checkpoint.lastName = page.items.at(-1)?.metadata?.name ?? checkpoint.lastName;
    checkpoint.continueToken = page.metadata?._continue || undefined;
    checkpoint.done = !checkpoint.continueToken;
    await checkpoints.save(requestId, namespace, checkpoint);
    await options.onPage?.(todo.length, checkpoint);
    if (checkpoint.done) return checkpoint;
  }
}

async function listPage(core: CoreV1Api, namespace: string, checkpoint: NamespaceCheckpoint, limit: number) {
  try {
    return await core.listNamespacedSecret({ namespace, limit, _continue: checkpoint.continueToken });
  } catch (err) {
    // A continue token expires (410 Gone) after a few minutes: list again from the start and skip what is done.
    if (errorStatus(err) === 410 && checkpoint.continueToken) {
      checkpoint.continueToken = undefined;
      return listPage(core, namespace, checkpoint, limit);
    }
    throw classifyApiError(err, `listing secrets in ${namespace}`);
  }
}

/** Returns false when the secret no longer exists. */
async function rewriteSecret(core: CoreV1Api, listed: V1Secret): Promise<boolean> {
  const name = listed.metadata?.name as string;
  const namespace = listed.metadata?.namespace as string;
  let current: V1Secret = listed;
  for (let attempt = 0; ; attempt++) {
    try {
      // List items carry no kind/apiVersion; the body of a replace should.
      await core.replaceNamespacedSecret({ name, namespace, body: { ...current, apiVersion: 'v1', kind: 'Secret' } });
      return true;
    } catch (err) {
      const status = errorStatus(err);
      if (status === 404) return false;
      if (status !== 409 || attempt >= MAX_CONFLICT_RETRIES) throw classifyApiError(err, `rewriting secret ${namespace}/${name}`);
    }
    try {
      current = await core.readNamespacedSecret({ name, namespace });
    } catch (err) {
      if (errorStatus(err) === 404) return false;
      throw classifyApiError(err, `reading secret ${namespace}/${name}`);
    }
  }
}
