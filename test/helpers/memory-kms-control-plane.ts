import type {
  ClusterKmsState,
  KeyPermissions,
  KeyState,
  KmsControlPlane,
  KmsProfile,
  VaultState,
} from '../../src/operations/kms/kms-control-plane';
import { PermanentApiError } from '../../src/operations/errors/permanent-api-error';
import { TransientError } from '../../src/operations/errors/transient-error';

/**
 * An in-memory KmsControlPlane for tests of the KMS operations' logic (the port is certops' own; the Azure
 * implementation is tested against the sandbox). It keeps ARM's rules that the operations depend on: the network
 * mode does not change in place, Private needs the vault's resource id, the key must exist. Every call is logged.
 */
export interface MemoryKey {
  enabled?: boolean;
  expiresOn?: Date;
}

export interface MemoryKmsOptions {
  vaultUri: string;
  vaultResourceId: string;
  /** Key name → versions, oldest first. */
  keys: Record<string, string[]>;
  kms?: KmsProfile;
  kubernetesVersion?: string;
  identityObjectId?: string;
  permissions?: KeyPermissions;
  /** Called when the key new writes are sealed with changes: a version, or undefined once KMS is off. */
  onSealingKey?: (version: string | undefined) => void;
}

export type KmsCall = { call: 'setKms'; kms: KmsProfile } | { call: 'setVaultPublicNetworkAccess'; access: string };

export class MemoryKmsControlPlane implements KmsControlPlane {
  kms: KmsProfile;
  vaultState: VaultState;
  readonly keyFlags = new Map<string, MemoryKey>();
  readonly calls: KmsCall[] = [];
  /** Calls to fail once with a transient error, as a dropped connection would. */
  readonly failOnce = new Set<KmsCall['call']>();
  private readonly identity: string;

  constructor(private readonly options: MemoryKmsOptions) {
    this.kms = options.kms ?? { enabled: false };
    this.identity = options.identityObjectId ?? 'identity-object-id';
    const name = options.vaultResourceId.split('/').at(-1) as string;
    this.vaultState = { id: options.vaultResourceId, name, vaultUri: options.vaultUri, publicNetworkAccess: 'Enabled' };
  }

  keyId(name: string, version: string): string {
    return `${this.options.vaultUri.replace(/\/$/, '')}/keys/${name}/${version}`;
  }

  private parse(keyId: string): { name: string; version?: string } | undefined {
    const prefix = `${this.options.vaultUri.replace(/\/$/, '')}/keys/`;
    if (!keyId.startsWith(prefix)) return undefined;
    const [name, version] = keyId.slice(prefix.length).split('/');
    return name ? { name, ...(version ? { version } : {}) } : undefined;
  }

  cluster(): Promise<ClusterKmsState> {
    return Promise.resolve({
      kms: { ...this.kms },
      kubernetesVersion: this.options.kubernetesVersion ?? '1.30.3',
      identityObjectId: this.identity,
      provisioningState: 'Succeeded',
    });
  }

  async setKms(kms: KmsProfile): Promise<ClusterKmsState> {
    this.calls.push({ call: 'setKms', kms });
    this.failIfAsked('setKms');
    if (kms.enabled) {
      if (!kms.keyId || !(await this.key(kms.keyId)))
        throw new PermanentApiError(`AzureKeyVaultKmsKeyNotFound: key ${kms.keyId} was not found`, 400);
      if (kms.keyVaultNetworkAccess === 'Private' && !kms.keyVaultResourceId) {
        throw new PermanentApiError(
          'AzureKeyVaultKmsPrivateNeedsResourceId: keyVaultResourceId is required when keyVaultNetworkAccess is Private',
          400,
        );
      }
      if (
        this.kms.enabled &&
        (this.kms.keyVaultNetworkAccess ?? 'Public') !== (kms.keyVaultNetworkAccess ?? 'Public')
      ) {
        throw new PermanentApiError(
          'Changing the key vault network access of Azure Key Vault KMS is not supported: disable KMS, then enable it with the new mode',
          400,
        );
      }
    }
    this.kms = kms.enabled ? { ...kms } : { enabled: false };
    this.options.onSealingKey?.(kms.enabled ? this.parse(kms.keyId as string)?.version : undefined);
    return this.cluster();
  }

  key(keyId: string): Promise<KeyState | undefined> {
    return Promise.resolve(this.keyNow(keyId));
  }

  private keyNow(keyId: string): KeyState | undefined {
    const parsed = this.parse(keyId);
    const versions = parsed ? this.options.keys[parsed.name] : undefined;
    const latest = versions?.at(-1);
    if (!parsed || !versions || latest === undefined) return undefined;
    const version = parsed.version ?? latest;
    if (!versions.includes(version)) return undefined;
    const flags = this.keyFlags.get(`${parsed.name}/${version}`) ?? {};
    return {
      keyId: this.keyId(parsed.name, version),
      enabled: flags.enabled ?? true,
      ...(flags.expiresOn ? { expiresOn: flags.expiresOn } : {}),
      latestKeyId: this.keyId(parsed.name, latest),
    };
  }

  keyPermissions(): Promise<KeyPermissions> {
    return Promise.resolve(this.options.permissions ?? { encrypt: true, decrypt: true });
  }

  vault(resourceId: string): Promise<VaultState | undefined> {
    return Promise.resolve(
      resourceId.toLowerCase() === this.vaultState.id.toLowerCase() ? { ...this.vaultState } : undefined,
    );
  }

  async setVaultPublicNetworkAccess(resourceId: string, access: 'Enabled' | 'Disabled'): Promise<VaultState> {
    this.calls.push({ call: 'setVaultPublicNetworkAccess', access });
    this.failIfAsked('setVaultPublicNetworkAccess');
    if (!(await this.vault(resourceId))) throw new PermanentApiError(`ResourceNotFound: ${resourceId}`, 404);
    this.vaultState = { ...this.vaultState, publicNetworkAccess: access };
    return { ...this.vaultState };
  }

  private failIfAsked(call: KmsCall['call']): void {
    if (!this.failOnce.delete(call)) return;
    throw new TransientError(`${call}: connection reset`);
  }
}
