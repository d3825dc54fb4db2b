import { rotateAksCertificates } from '../../operations/aks-rotate-certs';
import { requireAks } from '../../operations/aks-rotate-certs';
import type { OperationProcessor } from './processor';

export const processAksRotateCerts: OperationProcessor = async (ctx, resume) => {
  const result = await rotateAksCertificates({
    cluster: ctx.cluster,
    client: ctx.deps.clients.azure.containerService(requireAks(ctx.cluster)),
    resume,
    progress: ctx.progress,
    logger: ctx.logger,
    pollIntervalMs: ctx.timings.pollIntervalMs,
    boundary: ctx.boundary,
    onFreshCredentials: (kubeconfigYaml) => ctx.deps.clients.useCredentials?.(ctx.cluster, kubeconfigYaml),
  });
  return { summary: result.message, result };
};
