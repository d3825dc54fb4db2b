import { RESOURCES } from './resources/infos';
import type { ObjectStore, StoreEvent } from './store';

/** The "key version" of secrets stored without a KMS provider (the API server's identity transformer). */
export const PLAINTEXT = 'identity';

/** Where every secret's stored bytes stand, as the sandbox's control endpoint reports it. */
export interface EncryptionReport {
  currentKeyVersion: string;
  /** `namespace/name` → the key version its stored bytes are sealed with. */
  secrets: Record<string, string>;
  /** Secrets sealed with another version than the current one, sorted. */
  stale: string[];
}

/**
 * Encryption at rest with a KMS provider: every secret write is sealed with the key version current at
 * that moment. After a key rotation only a rewrite of each secret moves it to the new key; the store
 * lets an unchanged replace through only for a secret sealed with an old version (or, after KMS is
 * turned off, for one still sealed with any key).
 */
export class EncryptionModel {
  currentKeyVersion = '1';
  private readonly sealedWith = new Map<string, string>();

  constructor(store: ObjectStore) {
    store.subscribe((event: StoreEvent) => {
      if (event.info !== RESOURCES.secrets) return;
      const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
      if (event.type === 'DELETED') this.sealedWith.delete(key);
      else this.sealedWith.set(key, this.currentKeyVersion);
    });
    store.setStaleAtRest(
      (info, stored) =>
        info === RESOURCES.secrets &&
        this.keyVersionOf(stored.metadata.namespace ?? '', stored.metadata.name ?? '') !== this.currentKeyVersion,
    );
  }

  /** The key version new writes are sealed with; PLAINTEXT when KMS encryption is turned off. */
  setCurrentKey(version: string): void {
    this.currentKeyVersion = version;
  }

  keyVersionOf(namespace: string, name: string): string | undefined {
    return this.sealedWith.get(`${namespace}/${name}`);
  }

  /** `namespace/name` of every secret last written under another key version. */
  secretsNotEncryptedWith(version: string): string[] {
    return [...this.sealedWith.entries()]
      .filter(([, v]) => v !== version)
      .map(([key]) => key)
      .sort();
  }

  report(): EncryptionReport {
    const secrets = Object.fromEntries([...this.sealedWith.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      currentKeyVersion: this.currentKeyVersion,
      secrets,
      stale: this.secretsNotEncryptedWith(this.currentKeyVersion),
    };
  }
}
