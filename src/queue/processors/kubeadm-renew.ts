import { renewKubeadmCertificates } from '../../operations/kubeadm-renew';
import type { OperationProcessor } from './processor';

export const processKubeadmRenew: OperationProcessor = async (ctx, resume) => {
  const result = await renewKubeadmCertificates({
    requestId: ctx.requestId,
    cluster: ctx.cluster,
    kubeConfig: ctx.deps.clients.kubeConfig(ctx.cluster),
    resume,
    progress: ctx.progress,
    logger: ctx.logger,
    pollIntervalMs: ctx.timings.pollIntervalMs,
    boundary: ctx.boundary,
  });
  return { summary: result.message, result };
};
