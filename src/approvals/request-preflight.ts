import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestPreflight } from '../core/approvals';
import type { KmsLifecycleOperation, KmsPreflightRequest, PreflightCheck } from '../core/kms/preflight';
import { LATEST_KEY_VERSION } from '../core/operations/kms-params';
import type { OperationId } from '../core/operations';
import { gatherKmsPreflight } from '../operations/kms/gather-preflight';
import type { KmsControlPlane } from '../operations/kms/kms-control-plane';
import { resolveKeyId } from '../operations/kms/kms-profile-change';
import { errorMessage } from '../util/errors';

const CHECKED: ReadonlySet<OperationId> = new Set<OperationId>([
  'kms-enable',
  'kms-change-key',
  'kms-set-vault-access',
  'kms-disable',
]);

/** Long enough for a few ARM and Key Vault reads; a slow Azure must not hold a request back. */
export const PREFLIGHT_TIMEOUT_MS = 10_000;

export interface PreflightPorts {
  plane: KmsControlPlane;
  kube: KubeConfig;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The pre-flight checks of a KMS lifecycle request, for its card; undefined for other operations or without a KMS
 * port. Nothing here throws: what could not be read becomes an *unknown* check, and the request opens regardless.
 */
export async function requestPreflight(
  operation: OperationId,
  params: Record<string, unknown>,
  ports: (() => PreflightPorts | undefined) | undefined,
  now: Date,
  timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<RequestPreflight | undefined> {
  if (!CHECKED.has(operation) || !ports) return undefined;
  const at = now.toISOString();
  try {
    const made = ports();
    if (!made) return undefined;
    const run = async (): Promise<PreflightCheck[]> => {
      const keyId = str(params.keyId);
      // "latest" is checked as the version it stands for: the newest of the key the cluster uses now.
      const resolved = keyId
        ? await resolveKeyId(made.plane, keyId, LATEST_KEY_VERSION).catch(() => undefined)
        : undefined;
      const request: KmsPreflightRequest = {
        operation: operation as KmsLifecycleOperation,
        ...(resolved ? { keyId: resolved } : {}),
        ...(str(params.networkAccess) ? { networkAccess: params.networkAccess as 'Public' | 'Private' } : {}),
        ...(str(params.vaultResourceId) ? { vaultResourceId: params.vaultResourceId as string } : {}),
      };
      return (await gatherKmsPreflight(made.plane, made.kube, request, now)).checks;
    };
    const checks = await withTimeout(run(), timeoutMs);
    return { ok: checks.every((c) => c.status !== 'fail'), at, checks };
  } catch (err) {
    return {
      ok: true,
      at,
      checks: [
        {
          code: 'preflight',
          status: 'unknown',
          message: `The pre-flight checks could not read the cluster: ${errorMessage(err)}`,
        },
      ],
    };
  }
}
