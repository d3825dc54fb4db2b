import { RESOURCES } from './resources/infos';
import type { ObjectStore, StoreEvent } from './store';

/**
 * Encryption at rest with a KMS provider: every secret write is sealed with the key version current at
 * that moment. After a key rotation only a rewrite of each secret moves it to the new key.
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
  }

  setCurrentKey(version: string): void {
    this.currentKeyVersion = version;
  }

  keyVersionOf(namespace: string, name: string): string | undefined {
    return this.sealedWith.get(`${namespace}/${name}`);
  }

  /** `namespace/name` of every secret last written under another key version. */
  secretsNotEncryptedWith(version: string): string[] {
    return [...this.sealedWith.entries()].filter(([, v]) => v !== version).map(([key]) => key).sort();
  }
}
