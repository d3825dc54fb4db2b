import { errorResponse } from '../errors';
import type { SimResponse } from '../http';
import type { SimKmsSettings } from '../state';
import { KMS_V2_MINOR, kubernetesMinor } from '../../../core/kms/kms-version';

/**
 * AKS blocks the upgrade of a cluster older than 1.27 that runs KMS (v1) to 1.27 or later: KMS must be turned off,
 * the secrets rewritten, the cluster upgraded, and KMS turned on again (which then configures v2). AKS announces the
 * block without publishing the error's text, so the message says what the migration document says.
 */
export function kmsUpgradeError(from: string, to: string, kms: SimKmsSettings | undefined): SimResponse | undefined {
  if (from === to) return undefined;
  const target = kubernetesMinor(to);
  if (target === undefined) {
    return errorResponse(
      400,
      'InvalidParameter',
      `The value '${to}' of properties.kubernetesVersion is not a Kubernetes version such as 1.29.4.`,
    );
  }
  const current = kubernetesMinor(from) ?? target;
  if (target < current) {
    return errorResponse(400, 'BadRequest', `Downgrading the Kubernetes version from ${from} to ${to} is not allowed.`);
  }
  if (kms?.enabled && current < KMS_V2_MINOR && target >= KMS_V2_MINOR) {
    return errorResponse(
      400,
      'BadRequest',
      `Upgrading from ${from} to ${to} is blocked: Azure Key Vault KMS is enabled with KMS v1. Disable KMS, rewrite every secret (kubectl get secrets --all-namespaces -o json | kubectl replace -f -), upgrade, then enable KMS again to use KMS v2.`,
    );
  }
  return undefined;
}
