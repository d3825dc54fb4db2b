import { processAccessGrant } from './processors/access-grant';
import { processAksRotateCerts } from './processors/aks-rotate-certs';
import { processKmsChangeKey } from './processors/kms-change-key';
import { processKmsDisable } from './processors/kms-disable';
import { processKmsEnable } from './processors/kms-enable';
import { processKmsRotateKey } from './processors/kms-rotate-key';
import { processKmsSetVaultAccess } from './processors/kms-set-vault-access';
import { processKubeadmRenew } from './processors/kubeadm-renew';
import type { OperationProcessor } from './processors/processor';
import { processReencryptSecrets } from './processors/reencrypt-secrets';
import type { QueuedOperationId } from './queue-names';

/** Which processor runs which operation. */
export const DISPATCH: Readonly<Record<QueuedOperationId, OperationProcessor>> = {
  'aks-rotate-certs': processAksRotateCerts,
  'kms-rotate-key': processKmsRotateKey,
  'kms-enable': processKmsEnable,
  'kms-change-key': processKmsChangeKey,
  'kms-set-vault-access': processKmsSetVaultAccess,
  'kms-disable': processKmsDisable,
  'kubeadm-renew': processKubeadmRenew,
  'reencrypt-secrets': processReencryptSecrets,
  'access-grant': processAccessGrant,
};
