import { randomBytes } from 'node:crypto';
import type { SimKeyVersion, SimRotationPolicy } from '../state';

export interface KeyAttributesInput {
  enabled?: boolean;
  expiresOn?: Date;
  notBefore?: Date;
  keyOps?: string[];
  tags?: Record<string, string>;
}

const DEFAULT_KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
const DAY_MS = 86400_000;

/** ISO 8601 durations as rotation policies carry them (P90D, P1Y, P2M, PT12H); months count 30 days. */
export function isoDurationMs(text: string): number | undefined {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0));
  return (
    ((y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0)) * DAY_MS +
    ((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000
  );
}

/** One simulated vault: named keys with their versions (oldest first) and rotation policies. */
export class VaultStore {
  private readonly keys = new Map<string, SimKeyVersion[]>();
  private readonly policies = new Map<string, SimRotationPolicy>();

  constructor(
    private readonly vaultUrl: () => string,
    private readonly now: () => number,
  ) {}

  names(): string[] {
    return [...this.keys.keys()];
  }

  /** A new version of `name` (the key is created on its first version), as Key Vault's create does. */
  create(name: string, input: KeyAttributesInput = {}): SimKeyVersion {
    const version = randomBytes(16).toString('hex');
    const now = new Date(this.now());
    const modulus = randomBytes(256);
    modulus[0] = (modulus[0] as number) | 0x80;
    const key: SimKeyVersion = {
      name,
      version,
      kid: `${this.vaultUrl()}keys/${name}/${version}`,
      enabled: input.enabled ?? true,
      createdOn: now,
      updatedOn: now,
      expiresOn: input.expiresOn,
      notBefore: input.notBefore,
      keyType: 'RSA',
      keyOps: input.keyOps ?? DEFAULT_KEY_OPS,
      tags: input.tags ?? {},
      modulus,
    };
    const versions = this.keys.get(name) ?? [];
    versions.push(key);
    this.keys.set(name, versions);
    return key;
  }

  /** A new version that keeps the latest one's operations and tags; its expiry follows the rotation policy. */
  rotate(name: string): SimKeyVersion | undefined {
    const latest = this.get(name);
    if (!latest) return undefined;
    const expiryTime = this.policies.get(name)?.attributes.expiryTime;
    const lifetime = expiryTime ? isoDurationMs(expiryTime) : undefined;
    return this.create(name, {
      keyOps: latest.keyOps,
      tags: latest.tags,
      expiresOn: lifetime ? new Date(this.now() + lifetime) : undefined,
    });
  }

  versions(name: string): SimKeyVersion[] {
    return [...(this.keys.get(name) ?? [])];
  }

  /** The named version, or the newest one when no version is given. */
  get(name: string, version?: string): SimKeyVersion | undefined {
    const versions = this.keys.get(name) ?? [];
    return version ? versions.find((v) => v.version === version) : versions[versions.length - 1];
  }

  update(key: SimKeyVersion, change: KeyAttributesInput): void {
    if (change.enabled !== undefined) key.enabled = change.enabled;
    if (change.expiresOn !== undefined) key.expiresOn = change.expiresOn;
    if (change.notBefore !== undefined) key.notBefore = change.notBefore;
    if (change.keyOps !== undefined) key.keyOps = change.keyOps;
    if (change.tags !== undefined) key.tags = change.tags;
    key.updatedOn = new Date(this.now());
  }

  isExpired(key: SimKeyVersion): boolean {
    return key.expiresOn !== undefined && key.expiresOn.getTime() <= this.now();
  }

  /** Resolves a key id of this vault (`{vaultUrl}keys/{name}/{version}`); undefined if it names another vault. */
  parseKeyId(keyId: string): { name: string; version?: string } | undefined {
    const prefix = `${this.vaultUrl()}keys/`;
    if (!keyId.startsWith(prefix)) return undefined;
    const [name, version, extra] = keyId.slice(prefix.length).split('/');
    if (!name || extra !== undefined) return undefined;
    return { name, version: version || undefined };
  }

  /** The stored policy, or Key Vault's default for a key that never had one (notify 30 days before expiry). */
  policy(name: string): SimRotationPolicy {
    const stored = this.policies.get(name);
    if (stored) return stored;
    return {
      lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }],
      attributes: { created: 0, updated: 0 },
    };
  }

  setPolicy(
    name: string,
    policy: Omit<SimRotationPolicy, 'attributes'> & { attributes?: { expiryTime?: string } },
  ): SimRotationPolicy {
    const now = Math.floor(this.now() / 1000);
    const created = this.policies.get(name)?.attributes.created ?? now;
    const stored: SimRotationPolicy = {
      lifetimeActions: policy.lifetimeActions,
      attributes: { expiryTime: policy.attributes?.expiryTime, created, updated: now },
    };
    this.policies.set(name, stored);
    return stored;
  }
}
