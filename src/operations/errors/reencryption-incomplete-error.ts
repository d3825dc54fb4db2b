import { UnrecoverableError } from 'bullmq';
import { plural } from '../../util/plural';

/** Some namespaces could not be re-encrypted after all their retries: those secrets stay under the old key. */
export class ReencryptionIncompleteError extends UnrecoverableError {
  override readonly name = 'ReencryptionIncompleteError';
  constructor(failures: Record<string, string>) {
    const lines = Object.entries(failures).map(([child, reason]) => `${child}: ${reason}`);
    super(
      `re-encryption did not finish in ${plural(lines.length, 'namespace')} (${lines.slice(0, 5).join('; ')}); ` +
        'keep the previous KMS key version enabled and run reencrypt-secrets again',
    );
  }
}
