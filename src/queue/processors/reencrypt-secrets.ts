import { z } from 'zod';
import { requireAks } from '../../operations/aks-rotate-certs';
import { apiCall } from '../../operations/errors/classify-api-error';
import { readResumeJson } from '../../operations/resume-state';
import type { JobContext } from '../job-context';
import type { OperationProcessor } from './processor';
import { describeReencryption, recordReencryption, reencryptViaChildren } from './reencrypt-fan-out';

const KEY_KEY = 'reencryptKey';
const keySchema = z.object({ keyId: z.string().nullable() });

/** The KMS key an AKS cluster encrypts with now (null: KMS off); read before the first secret is rewritten. */
async function currentKmsKeyId(ctx: JobContext): Promise<string | null> {
  const aks = requireAks(ctx.cluster);
  const managed = await apiCall(() => ctx.deps.clients.azure.containerService(aks).managedClusters.get(aks.resourceGroup, aks.name), `reading cluster ${aks.name}`);
  const kms = managed.securityProfile?.azureKeyVaultKms;
  return kms?.enabled && kms.keyId ? kms.keyId : null;
}

export const processReencryptSecrets: OperationProcessor = async (ctx, resume) => {
  // On AKS, which key the secrets end up under is recorded, so the digest can tell when they lag behind a key change.
  let key = readResumeJson(resume, KEY_KEY, keySchema);
  if (!key && ctx.cluster.aks) {
    key = { keyId: await currentKmsKeyId(ctx) };
    await resume.set(KEY_KEY, JSON.stringify(key));
  }
  const result = await reencryptViaChildren(ctx, resume);
  if (key) await recordReencryption(ctx, key.keyId);
  return { summary: `re-encryption of ${ctx.cluster.name} done: ${describeReencryption(result)}`, result };
};
