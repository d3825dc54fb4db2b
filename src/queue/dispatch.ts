import { processAccessGrant } from './processors/access-grant';
import { processAksRotateCerts } from './processors/aks-rotate-certs';
import { processKmsRotateKey } from './processors/kms-rotate-key';
import { processKubeadmRenew } from './processors/kubeadm-renew';
import type { OperationProcessor } from './processors/processor';
import { processReencryptSecrets } from './processors/reencrypt-secrets';
import type { QueuedOperationId } from './queue-names';

/** Which processor runs which operation. */
export const DISPATCH: Readonly<Record<QueuedOperationId, OperationProcessor>> = {
  'aks-rotate-certs': processAksRotateCerts,
  'kms-rotate-key': processKmsRotateKey,
  'kubeadm-renew': processKubeadmRenew,
  'reencrypt-secrets': processReencryptSecrets,
  'access-grant': processAccessGrant,
};
