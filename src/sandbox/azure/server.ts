import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { issueCertificate } from '../pki/issue';
import { silentLogger } from '../../util/logger';
import { ManagedClusters } from './arm/managed-clusters';
import { cloudMetadata } from './arm/metadata';
import { subscriptionsRoute } from './arm/subscriptions';
import { ArmOperations } from './arm/operations';
import { KeyVaultResources } from './arm/vaults';
import { ADFS_PATH, EntraSim } from './entra';
import { errorResponse } from './errors';
import { SimFaults } from './faults';
import type { SimRequest, SimResponse } from './http';
import { readRequest, writeResponse } from './http';
import { KEY_VAULT_DOMAIN, vaultChallenge } from './keyvault/challenge';
import { KeyVaultKeys } from './keyvault/keys';
import { VaultStore } from './keyvault/vault';
import type {
  ProvisionCluster,
  RequestRecord,
  SimClusterSpec,
  SimKeyVersion,
  SimManagedCluster,
  SimVaultResource,
} from './state';

export type {
  ProvisionCluster,
  RequestRecord,
  SimClusterBackend,
  SimClusterSpec,
  SimKeyVersion,
  SimManagedCluster,
  SimOperation,
  SimVaultResource,
} from './state';

export interface AzureSimOptions {
  clock?: () => number;
  logger?: Logger;
  tls?: { certPem: string; keyPem: string; caPem: string };
  /** Gives a managed cluster created with a PUT its own Kubernetes API server (credentials, CA, encryption). */
  provisionCluster?: ProvisionCluster;
}

// ARM accepts tokens for either of its two public audiences, and for its own endpoint, as a sovereign cloud does.
const ARM_RESOURCES = ['https://management.azure.com', 'https://management.core.windows.net'];
const LOCATION = 'eastus';
const VAULT_NAME = 'certops-sim';
/** The resource group the vault resource lives in: `az keyvault show --name certops-sim --resource-group certops-sim`. */
const VAULT_RESOURCE_GROUP = 'certops-sim';
/** The vault's host: `{vault}.{KEY_VAULT_DOMAIN}`, as `{vault}.vault.azure.net` is in Azure's public cloud. */
const VAULT_HOST = `${VAULT_NAME}.${KEY_VAULT_DOMAIN}`;

async function sandboxTls(): Promise<{ certPem: string; keyPem: string; caPem: string }> {
  const ca = await issueCertificate({ commonName: 'certops sandbox Azure CA', isCA: true });
  const leaf = await issueCertificate(
    { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost', VAULT_HOST] },
    ca,
  );
  return { certPem: leaf.certPem, keyPem: leaf.keyPem, caPem: ca.certPem };
}

/**
 * Entra ID, ARM managedClusters and one Key Vault on a single HTTPS listener, told apart by path:
 * `/{tenant}/…` (Entra), `/subscriptions/…` (ARM), `/keys…` (Key Vault).
 */
export class AzureSim {
  readonly tenantId = randomUUID();
  readonly clientId = randomUUID();
  // Never starting with '-', which a command line would take for an option (`az login -p $SECRET`).
  readonly clientSecret = `s${randomBytes(24).toString('base64url')}`;
  readonly subscriptionId = randomUUID();
  readonly faults = new SimFaults();
  private readonly log: RequestRecord[] = [];
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly entra: EntraSim;
  private readonly vault: VaultStore;
  private readonly keys: KeyVaultKeys;
  private readonly operations: ArmOperations;
  private readonly clusters: ManagedClusters;
  private readonly vaults: KeyVaultResources;
  private port = 0;

  private constructor(
    private readonly server: Server,
    readonly caPem: string,
    opts: AzureSimOptions,
  ) {
    this.now = opts.clock ?? Date.now;
    this.logger = opts.logger ?? silentLogger();
    const baseUrl = () => this.url;
    const vaultUrl = () => this.keyVaultUrl;
    this.entra = new EntraSim(this, baseUrl, this.now);
    this.vault = new VaultStore(vaultUrl, this.now);
    this.keys = new KeyVaultKeys(this.vault, vaultUrl);
    const ctx = {
      subscriptionId: this.subscriptionId,
      tenantId: this.tenantId,
      location: LOCATION,
      baseUrl,
      now: this.now,
      logger: this.logger,
    };
    this.operations = new ArmOperations(ctx);
    this.vaults = new KeyVaultResources(ctx, {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${VAULT_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${VAULT_NAME}`,
      name: VAULT_NAME,
      resourceGroup: VAULT_RESOURCE_GROUP,
      location: LOCATION,
      tags: {},
      tenantId: this.tenantId,
      // Set once the listener has its port (start()).
      vaultUri: '',
      publicNetworkAccess: 'Enabled',
      enableRbacAuthorization: false,
      accessPolicies: [],
    });
    this.clusters = new ManagedClusters({
      ctx,
      operations: this.operations,
      vault: this.vault,
      vaultUrl,
      vaults: this.vaults,
      faults: this.faults,
      provision: opts.provisionCluster,
    });
  }

  static async start(opts: AzureSimOptions = {}): Promise<AzureSim> {
    const tls = opts.tls ?? (await sandboxTls());
    const server = createServer({ cert: tls.certPem, key: tls.keyPem });
    const sim = new AzureSim(server, tls.caPem, opts);
    server.on('request', (req, res) => {
      void (async () => {
        let answer: SimResponse;
        let path = req.url ?? '/';
        try {
          const simReq = await readRequest(req, sim.url);
          path = simReq.url.pathname;
          answer = sim.handle(simReq);
        } catch (err) {
          sim.logger.error({ err, path }, 'azure simulator request failed');
          answer = errorResponse(500, 'InternalServerError', 'The simulator failed to handle the request.');
        }
        sim.log.push({ method: (req.method ?? 'GET').toUpperCase(), path, status: answer.status, time: sim.now() });
        writeResponse(res, answer);
      })();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    sim.port = (server.address() as AddressInfo).port;
    sim.vaults.vault.vaultUri = sim.keyVaultUrl;
    sim.logger.info({ url: sim.url }, 'azure simulator listening');
    return sim;
  }

  /** `https://127.0.0.1:PORT/` — Entra ID and, without the slash, the ARM endpoint. */
  get url(): string {
    return `https://127.0.0.1:${this.port}/`;
  }

  get authorityHost(): string {
    return this.url;
  }

  get armEndpoint(): string {
    return this.url.replace(/\/$/, '');
  }

  /**
   * `https://certops-sim.vault.localhost:PORT/`: the same listener, addressed by name so that the resource of the
   * vault's challenge (`https://vault.localhost`) matches its host, as Key Vault's does. `.localhost` names are
   * loopback (RFC 6761); certops resolves them itself, as browsers, curl and systemd-resolved do.
   */
  get keyVaultUrl(): string {
    return `https://${VAULT_HOST}:${this.port}/`;
  }

  /** For in-process SDK clients: `{ tlsOptions: sim.tlsOptions() }` in the client or credential options. */
  tlsOptions(): { ca: string } {
    return { ca: this.caPem };
  }

  addCluster(spec: SimClusterSpec): void {
    this.clusters.add(spec);
  }

  cluster(resourceGroup: string, name: string): SimManagedCluster {
    return this.clusters.get(resourceGroup, name);
  }

  addKey(name: string, opts: { expiresOn?: Date; rotationPolicy?: boolean } = {}): SimKeyVersion {
    if (opts.rotationPolicy) {
      this.vault.setPolicy(name, {
        lifetimeActions: [
          { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Rotate' } },
          { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } },
        ],
        attributes: { expiryTime: 'P90D' },
      });
    }
    return this.vault.create(name, { expiresOn: opts.expiresOn });
  }

  rotateKeyDirect(name: string): SimKeyVersion {
    const key = this.vault.rotate(name);
    if (!key) throw new Error(`rotateKeyDirect: no key ${name} in the simulated vault.`);
    return key;
  }

  keyVersions(name: string): SimKeyVersion[] {
    return this.vault.versions(name);
  }

  setKeyExpiry(name: string, version: string, date: Date): void {
    const key = this.vault.get(name, version);
    if (!key) throw new Error(`setKeyExpiry: no key ${name}/${version} in the simulated vault.`);
    this.vault.update(key, { expiresOn: date });
  }

  /** The vault as an ARM resource (id, publicNetworkAccess, access policies); changes to it are the vault's own. */
  get vaultResource(): SimVaultResource {
    return this.vaults.vault;
  }

  /** Grants an identity key permissions on the vault, as `az keyvault set-policy --key-permissions` does. */
  grantKeyPermissions(objectId: string, permissions: string[] = ['encrypt', 'decrypt']): void {
    this.vaults.grantKeyPermissions(objectId, permissions);
  }

  /** Removes every permission of an identity on the vault, as `az keyvault delete-policy` does. */
  revokeKeyAccess(objectId: string): void {
    this.vaults.revokeAccess(objectId);
  }

  /** Whether the vault's access policies let an identity encrypt and decrypt with its keys. */
  keyPermissions(objectId: string): { encrypt: boolean; decrypt: boolean } {
    return this.vaults.keyPermissions(objectId);
  }

  requests(filter: { method?: string; pathRegex?: RegExp } = {}): RequestRecord[] {
    return this.log.filter(
      (r) =>
        (!filter.method || r.method === filter.method.toUpperCase()) &&
        (!filter.pathRegex || filter.pathRegex.test(r.path)),
    );
  }

  async stop(): Promise<void> {
    this.operations.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: SimRequest): SimResponse {
    const injected = this.faults.take(req.url.pathname);
    if (injected) return injected;
    const entra = this.entra.route(req);
    if (entra) return entra;
    const metadata = cloudMetadata(req, {
      name: 'certops-sandbox',
      resourceManager: this.armEndpoint,
      loginEndpoint: `${this.authorityHost}${ADFS_PATH.slice(1)}`,
      tenant: 'adfs',
      identityProvider: 'ADFS',
      keyVaultDns: KEY_VAULT_DOMAIN,
    });
    if (metadata) return metadata;
    if (KeyVaultKeys.owns(req)) {
      return vaultChallenge(req, this.entra, `${this.authorityHost}${this.tenantId}`) ?? this.keys.route(req);
    }
    if (/^\/(subscriptions|tenants)(\/|$)/.test(req.url.pathname)) {
      const denied = this.armAuthError(req);
      if (denied) return denied;
      const facts = { subscriptionId: this.subscriptionId, tenantId: this.tenantId, displayName: 'certops sandbox' };
      const answer =
        subscriptionsRoute(req, facts) ??
        this.operations.route(req) ??
        this.clusters.route(req) ??
        this.vaults.route(req);
      if (answer) return answer;
    }
    return errorResponse(404, 'NotFound', `No simulated Azure endpoint at ${req.method} ${req.url.pathname}.`);
  }

  private armAuthError(req: SimRequest): SimResponse | undefined {
    const check = this.entra.check(req, ...ARM_RESOURCES, this.armEndpoint);
    if (check.ok) return undefined;
    const challenge = {
      'WWW-Authenticate': `Bearer authorization_uri="${this.authorityHost}${this.tenantId}", error="invalid_token"`,
    };
    if (check.reason === 'missing') {
      return errorResponse(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        challenge,
      );
    }
    return errorResponse(
      401,
      check.reason === 'expired' ? 'ExpiredAuthenticationToken' : 'InvalidAuthenticationToken',
      `The access token is invalid (${check.reason}).`,
      challenge,
    );
  }
}
