import type { OperationProcessor } from './processor';
import { describeReencryption, reencryptViaChildren } from './reencrypt-fan-out';

export const processReencryptSecrets: OperationProcessor = async (ctx, resume) => {
  const result = await reencryptViaChildren(ctx, resume);
  return { summary: `re-encryption of ${ctx.cluster.name} done: ${describeReencryption(result)}`, result };
};
