/** The first Kubernetes minor version whose API server AKS configures with KMS v2 when KMS is turned on. */
export const KMS_V2_MINOR = 27;

/** How many secrets AKS supports on a cluster that encrypts them with KMS v1. */
export const KMS_V1_SECRET_LIMIT = 2000;

/** The minor version of "1.26.3" (or "v1.26"), or undefined for text that is not a Kubernetes 1.x version. */
export function kubernetesMinor(version: string): number | undefined {
  const match = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Which KMS API the cluster's API server uses: none when KMS is off, v1 below 1.27 (AKS blocks the upgrade to 1.27
 * while KMS v1 is on, so a cluster at 1.27 or later with KMS on always runs v2).
 */
export function kmsApiVersion(kubernetesVersion: string, kmsEnabled: boolean): 'v1' | 'v2' | undefined {
  if (!kmsEnabled) return undefined;
  const minor = kubernetesMinor(kubernetesVersion);
  return minor !== undefined && minor < KMS_V2_MINOR ? 'v1' : 'v2';
}
