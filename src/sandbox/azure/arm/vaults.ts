import { errorResponse, resourceNotFound } from '../errors';
import type { SimRequest, SimResponse } from '../http';
import { jsonBody } from '../http';
import type { SimAccessPolicy, SimVaultResource } from '../state';
import { apiVersionError, KEY_VAULT_API_VERSIONS } from './api-version';
import type { ArmContext } from './operations';

const RESOURCE_TYPE = 'Microsoft.KeyVault/vaults';
const ITEM_RE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)(?:\/accessPolicies\/([^/]+))?$/i;
const LIST_RE = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.KeyVault\/vaults$/i;
const NETWORK_ACCESS = ['Enabled', 'Disabled'];

interface VaultPropertiesWire {
  tenantId?: string;
  sku?: { family?: string; name?: string };
  accessPolicies?: SimAccessPolicy[];
  publicNetworkAccess?: string;
  enableRbacAuthorization?: boolean;
}

interface VaultWire {
  location?: string;
  tags?: Record<string, string>;
  properties?: VaultPropertiesWire;
}

/** Key Vault permission names are case-insensitive, and `all` grants every one. */
function grants(policy: SimAccessPolicy | undefined, permission: string): boolean {
  const keys = (policy?.permissions.keys ?? []).map((p) => p.toLowerCase());
  return keys.includes('all') || keys.includes(permission.toLowerCase());
}

function union(a: string[] = [], b: string[] = []): string[] {
  const seen = new Set(a.map((p) => p.toLowerCase()));
  return [...a, ...b.filter((p) => !seen.has(p.toLowerCase()))];
}

/**
 * Microsoft.KeyVault/vaults in ARM: the simulated vault as a resource (GET, PUT, PATCH, list, access policies).
 * The sandbox serves one vault's data plane, so a PUT may update that vault but not create another.
 */
export class KeyVaultResources {
  constructor(
    private readonly ctx: ArmContext,
    readonly vault: SimVaultResource,
  ) {}

  /** Finds the vault by ARM resource id, case-insensitively as ARM compares ids. */
  byId(resourceId: string): SimVaultResource | undefined {
    return resourceId.replace(/\/+$/, '').toLowerCase() === this.vault.id.toLowerCase() ? this.vault : undefined;
  }

  /** The vault whose `vaultUri` host a key id names, or undefined for a vault the sandbox does not serve. */
  byKeyId(keyId: string): SimVaultResource | undefined {
    try {
      return new URL(keyId).host.toLowerCase() === new URL(this.vault.vaultUri).host.toLowerCase()
        ? this.vault
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** What the vault's access policies let an identity do with its keys (RBAC vaults are not simulated). */
  keyPermissions(objectId: string): { encrypt: boolean; decrypt: boolean } {
    const policy = this.vault.accessPolicies.find((p) => p.objectId.toLowerCase() === objectId.toLowerCase());
    return { encrypt: grants(policy, 'encrypt'), decrypt: grants(policy, 'decrypt') };
  }

  /** `az keyvault set-policy --key-permissions …`: adds to what the identity already holds. */
  grantKeyPermissions(objectId: string, permissions: string[]): void {
    this.applyPolicies('add', [{ tenantId: this.vault.tenantId, objectId, permissions: { keys: permissions } }]);
  }

  revokeAccess(objectId: string): void {
    this.applyPolicies('remove', [{ tenantId: this.vault.tenantId, objectId, permissions: {} }]);
  }

  route(req: SimRequest): SimResponse | undefined {
    const list = LIST_RE.exec(req.url.pathname);
    const item = ITEM_RE.exec(req.url.pathname);
    const subscription = list?.[1] ?? item?.[1];
    if (subscription === undefined) return undefined;
    if (subscription.toLowerCase() !== this.ctx.subscriptionId.toLowerCase()) {
      return errorResponse(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    }
    const versionError = apiVersionError(req, this.ctx.location, 'vaults', KEY_VAULT_API_VERSIONS);
    if (versionError) return versionError;
    if (list) {
      if (req.method !== 'GET') return errorResponse(405, 'MethodNotAllowed', 'List takes GET.');
      const inGroup = !list[2] || list[2].toLowerCase() === this.vault.resourceGroup.toLowerCase();
      return { status: 200, body: { value: inGroup ? [this.view()] : [] } };
    }
    const [, , resourceGroup = '', name = '', policyOperation] = item ?? [];
    const found =
      resourceGroup.toLowerCase() === this.vault.resourceGroup.toLowerCase() &&
      name.toLowerCase() === this.vault.name.toLowerCase();
    if (!found && req.method === 'PUT' && !policyOperation) {
      return errorResponse(
        400,
        'BadRequest',
        `The sandbox serves one key vault, '${this.vault.name}' in resource group '${this.vault.resourceGroup}'; it cannot create '${name}'.`,
      );
    }
    if (!found) return resourceNotFound(RESOURCE_TYPE, name, resourceGroup);
    if (policyOperation) return this.accessPolicies(req, policyOperation);
    switch (req.method) {
      case 'GET':
        return { status: 200, body: this.view() };
      case 'PUT':
        return this.put(req);
      case 'PATCH':
        return this.patch(req);
      default:
        return errorResponse(405, 'MethodNotAllowed', `${req.method} ${req.url.pathname} is not supported.`);
    }
  }

  private put(req: SimRequest): SimResponse {
    const body = jsonBody<VaultWire>(req);
    if (!body?.location || !body.properties?.tenantId || !body.properties.sku) {
      return errorResponse(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized: a vault needs location, properties.tenantId and properties.sku.',
      );
    }
    const invalid = this.propertiesError(body.properties);
    if (invalid) return invalid;
    // A PUT replaces the resource: access policies and tags left out are gone.
    this.vault.tags = body.tags ?? {};
    this.vault.accessPolicies = body.properties.accessPolicies ?? [];
    this.vault.publicNetworkAccess =
      (body.properties.publicNetworkAccess as SimVaultResource['publicNetworkAccess'] | undefined) ?? 'Enabled';
    this.vault.enableRbacAuthorization = body.properties.enableRbacAuthorization ?? false;
    return { status: 200, body: this.view() };
  }

  private patch(req: SimRequest): SimResponse {
    const body = jsonBody<VaultWire>(req);
    if (!body)
      return errorResponse(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    const properties = body.properties ?? {};
    const invalid = this.propertiesError(properties);
    if (invalid) return invalid;
    if (body.tags) this.vault.tags = body.tags;
    if (properties.accessPolicies) this.vault.accessPolicies = properties.accessPolicies;
    if (properties.publicNetworkAccess)
      this.vault.publicNetworkAccess = properties.publicNetworkAccess as SimVaultResource['publicNetworkAccess'];
    if (properties.enableRbacAuthorization !== undefined)
      this.vault.enableRbacAuthorization = properties.enableRbacAuthorization;
    return { status: 200, body: this.view() };
  }

  private propertiesError(properties: VaultPropertiesWire): SimResponse | undefined {
    if (properties.publicNetworkAccess !== undefined && !NETWORK_ACCESS.includes(properties.publicNetworkAccess)) {
      return errorResponse(
        400,
        'BadRequest',
        `Invalid value '${properties.publicNetworkAccess}' for properties.publicNetworkAccess: use Enabled or Disabled.`,
      );
    }
    if (properties.enableRbacAuthorization === true) {
      return errorResponse(
        400,
        'BadRequest',
        'The sandbox vault uses access policies; Azure RBAC authorization is not simulated.',
      );
    }
    for (const policy of properties.accessPolicies ?? []) {
      if (!policy.objectId || !policy.tenantId)
        return errorResponse(400, 'BadRequest', 'Every access policy needs tenantId and objectId.');
    }
    return undefined;
  }

  /** PUT …/accessPolicies/{add|replace|remove}, what `az keyvault set-policy` and `delete-policy` send. */
  private accessPolicies(req: SimRequest, operation: string): SimResponse {
    if (req.method !== 'PUT') return errorResponse(405, 'MethodNotAllowed', 'Access policies take PUT.');
    const op = operation.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      return errorResponse(
        400,
        'BadRequest',
        `The access policy update kind '${operation}' is invalid: use add, replace or remove.`,
      );
    }
    const policies = jsonBody<{ properties?: { accessPolicies?: SimAccessPolicy[] } }>(req)?.properties?.accessPolicies;
    if (!Array.isArray(policies))
      return errorResponse(400, 'InvalidRequestContent', 'The request needs properties.accessPolicies.');
    const invalid = this.propertiesError({ accessPolicies: policies });
    if (invalid) return invalid;
    this.applyPolicies(op, policies);
    return {
      status: 200,
      body: {
        id: `${this.vault.id}/accessPolicies/${op}`,
        type: `${RESOURCE_TYPE}/accessPolicies`,
        properties: { accessPolicies: policies },
      },
    };
  }

  private applyPolicies(op: 'add' | 'replace' | 'remove', policies: SimAccessPolicy[]): void {
    for (const policy of policies) {
      const same = (p: SimAccessPolicy) => p.objectId.toLowerCase() === policy.objectId.toLowerCase();
      const existing = this.vault.accessPolicies.find(same);
      const others = this.vault.accessPolicies.filter((p) => !same(p));
      if (op === 'remove') {
        this.vault.accessPolicies = others;
      } else if (op === 'replace' || !existing) {
        this.vault.accessPolicies = [
          ...others,
          { tenantId: policy.tenantId, objectId: policy.objectId, permissions: { ...policy.permissions } },
        ];
      } else {
        const merged = { ...existing.permissions };
        for (const kind of ['keys', 'secrets', 'certificates', 'storage'] as const) {
          if (policy.permissions[kind]) merged[kind] = union(existing.permissions[kind], policy.permissions[kind]);
        }
        this.vault.accessPolicies = [...others, { ...existing, permissions: merged }];
      }
    }
  }

  private view(): Record<string, unknown> {
    const v = this.vault;
    return {
      id: v.id,
      name: v.name,
      type: RESOURCE_TYPE,
      location: v.location,
      tags: v.tags,
      properties: {
        sku: { family: 'A', name: 'standard' },
        tenantId: v.tenantId,
        accessPolicies: v.accessPolicies,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enableRbacAuthorization: v.enableRbacAuthorization,
        vaultUri: v.vaultUri,
        provisioningState: 'Succeeded',
        publicNetworkAccess: v.publicNetworkAccess,
        networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      },
    };
  }
}
