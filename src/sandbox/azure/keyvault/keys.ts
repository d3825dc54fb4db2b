import { errorResponse, keyNotFound } from '../errors';
import type { SimRequest, SimResponse } from '../http';
import { jsonBody, unixSeconds } from '../http';
import type { SimKeyVersion } from '../state';
import type { KeyAttributesInput, VaultStore } from './vault';

/** Versions the Key Vault data plane answers to; @azure/keyvault-keys 4.10 sends 2025-07-01, az 2.45 7.4-preview.1. */
export const KEY_VAULT_API_VERSIONS = ['7.3', '7.4-preview.1', '7.4', '7.5', '7.6', '2025-07-01'];
const DEFAULT_PAGE_SIZE = 25;
const NAME_RE = /^[0-9a-zA-Z-]{1,127}$/;

interface KeyAttributesWire {
  enabled?: boolean;
  exp?: number;
  nbf?: number;
}

interface KeyRequestWire {
  kty?: string;
  key_ops?: string[];
  attributes?: KeyAttributesWire;
  tags?: Record<string, string>;
}

function fromWire(body: KeyRequestWire): KeyAttributesInput {
  const attrs = body.attributes ?? {};
  return {
    enabled: attrs.enabled,
    expiresOn: attrs.exp !== undefined && attrs.exp !== null ? new Date(attrs.exp * 1000) : undefined,
    notBefore: attrs.nbf !== undefined && attrs.nbf !== null ? new Date(attrs.nbf * 1000) : undefined,
    keyOps: body.key_ops,
    tags: body.tags,
  };
}

function attributesWire(key: SimKeyVersion): Record<string, unknown> {
  return {
    enabled: key.enabled,
    created: unixSeconds(key.createdOn.getTime()),
    updated: unixSeconds(key.updatedOn.getTime()),
    ...(key.expiresOn ? { exp: unixSeconds(key.expiresOn.getTime()) } : {}),
    ...(key.notBefore ? { nbf: unixSeconds(key.notBefore.getTime()) } : {}),
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: 90,
    exportable: false,
  };
}

function keyBundle(key: SimKeyVersion): SimResponse {
  return {
    status: 200,
    body: {
      key: { kid: key.kid, kty: key.keyType, key_ops: key.keyOps, n: key.modulus.toString('base64url'), e: 'AQAB' },
      attributes: attributesWire(key),
      tags: key.tags,
    },
  };
}

function badParameter(message: string): SimResponse {
  return errorResponse(400, 'BadParameter', message);
}

/** The Key Vault keys REST surface over one VaultStore. Requests reach it already authorised. */
export class KeyVaultKeys {
  constructor(
    private readonly vault: VaultStore,
    private readonly vaultUrl: () => string,
  ) {}

  static owns(req: SimRequest): boolean {
    return req.url.pathname === '/keys' || req.url.pathname.startsWith('/keys/');
  }

  route(req: SimRequest): SimResponse {
    const apiVersion = req.url.searchParams.get('api-version') ?? '';
    if (!KEY_VAULT_API_VERSIONS.includes(apiVersion)) {
      return badParameter(
        `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (2025-07-01).`,
      );
    }
    const [, , name = '', action = '', extra] = req.url.pathname.split('/');
    if (req.url.pathname === '/keys') return this.listKeys(req, apiVersion);
    if (!NAME_RE.test(name))
      return badParameter(`The key name '${name}' is invalid: use 1-127 letters, digits and dashes.`);
    const m = req.method;
    if (action === 'create' && m === 'POST') return this.create(name, req);
    if (action === 'rotate' && m === 'POST') return this.rotate(name);
    if (action === 'versions' && m === 'GET') return this.listVersions(name, req, apiVersion);
    if (action === 'rotationpolicy' && m === 'GET') return this.getPolicy(name);
    if (action === 'rotationpolicy' && m === 'PUT') return this.putPolicy(name, req);
    if (extra === 'wrapkey' || extra === 'unwrapkey') return this.wrap(name, action, extra, req);
    if (extra === undefined && m === 'GET') return this.withKey(name, action, keyBundle);
    if (extra === undefined && m === 'PATCH') return this.update(name, action, req);
    return errorResponse(405, 'MethodNotAllowed', `${m} ${req.url.pathname} is not supported by this key vault.`);
  }

  private withKey(name: string, version: string, then: (key: SimKeyVersion) => SimResponse): SimResponse {
    const key = this.vault.get(name, version || undefined);
    return key ? then(key) : keyNotFound(name, version || undefined);
  }

  private create(name: string, req: SimRequest): SimResponse {
    const body = jsonBody<KeyRequestWire>(req);
    if (!body?.kty) return badParameter('The request body must name a key type (kty).');
    if (body.kty !== 'RSA' && body.kty !== 'RSA-HSM')
      return badParameter(`Key type '${body.kty}' is not simulated: use RSA.`);
    return keyBundle(this.vault.create(name, fromWire(body)));
  }

  private rotate(name: string): SimResponse {
    const key = this.vault.rotate(name);
    return key ? keyBundle(key) : keyNotFound(name);
  }

  private update(name: string, version: string, req: SimRequest): SimResponse {
    const body = jsonBody<KeyRequestWire>(req);
    if (!body) return badParameter('The request body must be a JSON object.');
    return this.withKey(name, version, (key) => {
      this.vault.update(key, fromWire(body));
      return keyBundle(key);
    });
  }

  private listVersions(name: string, req: SimRequest, apiVersion: string): SimResponse {
    const versions = this.vault.versions(name);
    if (versions.length === 0) return keyNotFound(name);
    const items = versions.map((key) => ({ kid: key.kid, attributes: attributesWire(key), tags: key.tags }));
    return this.page(items, `keys/${name}/versions`, req, apiVersion);
  }

  private listKeys(req: SimRequest, apiVersion: string): SimResponse {
    const items = this.vault.names().flatMap((name) => {
      const key = this.vault.get(name);
      return key ? [{ kid: `${this.vaultUrl()}keys/${name}`, attributes: attributesWire(key), tags: key.tags }] : [];
    });
    return this.page(items, 'keys', req, apiVersion);
  }

  /** Key Vault pages with `maxresults` and an opaque `$skiptoken` carried in `nextLink`. */
  private page(items: unknown[], path: string, req: SimRequest, apiVersion: string): SimResponse {
    const size = Math.min(
      Math.max(Number(req.url.searchParams.get('maxresults')) || DEFAULT_PAGE_SIZE, 1),
      DEFAULT_PAGE_SIZE,
    );
    const offset = Number(req.url.searchParams.get('$skiptoken') ?? 0) || 0;
    const value = items.slice(offset, offset + size);
    const next = offset + size;
    const nextLink =
      next < items.length
        ? `${this.vaultUrl()}${path}?api-version=${apiVersion}&$skiptoken=${next}&maxresults=${size}`
        : null;
    return { status: 200, body: { value, nextLink } };
  }

  private getPolicy(name: string): SimResponse {
    if (!this.vault.get(name)) return keyNotFound(name);
    return { status: 200, body: this.policyWire(name) };
  }

  private putPolicy(name: string, req: SimRequest): SimResponse {
    if (!this.vault.get(name)) return keyNotFound(name);
    const body = jsonBody<{ lifetimeActions?: unknown; attributes?: { expiryTime?: string } }>(req);
    if (!body || !Array.isArray(body.lifetimeActions))
      return badParameter('A rotation policy needs a lifetimeActions array.');
    this.vault.setPolicy(name, { lifetimeActions: body.lifetimeActions, attributes: body.attributes });
    return { status: 200, body: this.policyWire(name) };
  }

  private policyWire(name: string): Record<string, unknown> {
    const policy = this.vault.policy(name);
    return {
      id: `${this.vaultUrl()}keys/${name}/rotationpolicy`,
      lifetimeActions: policy.lifetimeActions,
      attributes: policy.attributes,
    };
  }

  /**
   * Wrap/unwrap carry the version in the blob instead of doing cryptography. An expired or disabled key
   * refuses them with 403 Forbidden, as the service does for cryptographic operations (metadata reads
   * of an expired key still succeed).
   */
  private wrap(name: string, version: string, op: 'wrapkey' | 'unwrapkey', req: SimRequest): SimResponse {
    if (req.method !== 'POST') return errorResponse(405, 'MethodNotAllowed', `${op} takes POST.`);
    const body = jsonBody<{ alg?: string; value?: string }>(req);
    if (!body?.alg || typeof body.value !== 'string') return badParameter('wrapKey and unwrapKey need alg and value.');
    return this.withKey(name, version, (key) => {
      const operation = op === 'wrapkey' ? 'wrapKey' : 'unwrapKey';
      if (!key.enabled)
        return errorResponse(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled key.`);
      if (this.vault.isExpired(key))
        return errorResponse(403, 'Forbidden', `Operation ${operation} is not allowed on an expired key.`);
      const input = Buffer.from(body.value as string, 'base64url');
      const tag = Buffer.from(key.version, 'hex');
      if (op === 'wrapkey')
        return { status: 200, body: { kid: key.kid, value: Buffer.concat([tag, input]).toString('base64url') } };
      if (!input.subarray(0, tag.length).equals(tag))
        return badParameter('The ciphertext was not wrapped by this key version.');
      return { status: 200, body: { kid: key.kid, value: input.subarray(tag.length).toString('base64url') } };
    });
  }
}
