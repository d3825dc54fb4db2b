import { UnrecoverableError } from 'bullmq';

/** The cluster's current KMS key has expired: the API server can no longer encrypt, so a rotation would not be read. */
export class KeyExpiredError extends UnrecoverableError {
  override readonly name = 'KeyExpiredError';
  constructor(vaultName: string, keyName: string, version: string, expiredOn: Date) {
    super(
      `the KMS key ${keyName} (version ${version}) expired on ${expiredOn.toISOString()}; ` +
        `extend its expiry first: az keyvault key set-attributes --vault-name ${vaultName} --name ${keyName} ` +
        `--version ${version} --expires <new date>, then ask for the rotation again`,
    );
  }
}
