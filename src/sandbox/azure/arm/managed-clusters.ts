import { randomUUID } from 'node:crypto';
import { errorResponse, operationNotAllowed, resourceNotFound } from '../errors';
import type { SimFaults } from '../faults';
import type { SimRequest, SimResponse } from '../http';
import { jsonBody } from '../http';
import type { VaultStore } from '../keyvault/vault';
import type { ProvisionCluster, SimClusterSpec, SimKmsSettings, SimManagedCluster } from '../state';
import { apiVersionError } from './api-version';
import type { KmsRequest } from './kms';
import { kmsChanged, kmsFromRequest, kmsRequestError, verifyKmsKey, verifyKmsNetworkPath } from './kms';
import { kmsUpgradeError } from './kubernetes-version';
import type { ArmContext, ArmOperations } from './operations';
import { OperationError } from './operations';
import type { KeyVaultResources } from './vaults';

const RESOURCE_TYPE = 'Microsoft.ContainerService/managedClusters';
const UPDATE_DURATION_MS = 10;
// AKS issues client and serving certificates for two years on a rotation.
const ROTATED_CERT_VALIDITY_MS = 2 * 365 * 86400_000;
const ITEM_RE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)(?:\/([^/]+))?$/i;
const LIST_RE =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ContainerService\/managedClusters$/i;

interface ClusterRecord {
  state: SimManagedCluster;
  spec: SimClusterSpec;
}

interface ManagedClusterWire {
  location?: string;
  tags?: Record<string, string>;
  properties?: { kubernetesVersion?: string; securityProfile?: { azureKeyVaultKms?: KmsRequest } };
}

export interface ManagedClustersDeps {
  ctx: ArmContext;
  operations: ArmOperations;
  vault: VaultStore;
  vaultUrl: () => string;
  vaults: KeyVaultResources;
  faults: SimFaults;
  provision?: ProvisionCluster;
}

function clusterKey(resourceGroup: string, name: string): string {
  return `${resourceGroup.toLowerCase()}/${name.toLowerCase()}`;
}

/** Microsoft.ContainerService/managedClusters: get, list, createOrUpdate, rotate certificates, credentials. */
export class ManagedClusters {
  private readonly clusters = new Map<string, ClusterRecord>();

  constructor(private readonly deps: ManagedClustersDeps) {}

  add(spec: SimClusterSpec): SimManagedCluster {
    let kms: SimKmsSettings | undefined;
    if (spec.kms) {
      const key = this.deps.vault.get(spec.kms.keyName, spec.kms.keyVersion);
      if (!key)
        throw new Error(
          `addCluster: key ${spec.kms.keyName}/${spec.kms.keyVersion ?? '(latest)'} is not in the simulated vault; call addKey first.`,
        );
      kms = {
        enabled: true,
        keyId: key.kid,
        keyVaultNetworkAccess: 'Public',
        keyVaultResourceId: this.deps.vaults.vault.id,
      };
    }
    const state = this.newState(spec.resourceGroup, spec.name, this.deps.ctx.location);
    state.securityProfile.azureKeyVaultKms = kms;
    if (spec.kubernetesVersion) state.kubernetesVersion = spec.kubernetesVersion;
    // A cluster that already encrypts with the key was granted encrypt/decrypt on it before KMS was turned on.
    if (kms) this.deps.vaults.grantKeyPermissions(state.principalId, ['encrypt', 'decrypt']);
    state.certificateExpiry = spec.certificateExpiry;
    this.clusters.set(clusterKey(spec.resourceGroup, spec.name), { state, spec });
    return state;
  }

  get(resourceGroup: string, name: string): SimManagedCluster {
    const record = this.clusters.get(clusterKey(resourceGroup, name));
    if (!record) throw new Error(`No simulated managed cluster ${resourceGroup}/${name}.`);
    return record.state;
  }

  route(req: SimRequest): SimResponse | undefined {
    const { ctx } = this.deps;
    const list = LIST_RE.exec(req.url.pathname);
    const item = ITEM_RE.exec(req.url.pathname);
    const subscription = list?.[1] ?? item?.[1];
    if (subscription === undefined) return undefined;
    if (subscription !== ctx.subscriptionId) {
      return errorResponse(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    }
    const versionError = apiVersionError(req, ctx.location);
    if (versionError) return versionError;
    if (list)
      return req.method === 'GET' ? this.list(list[2]) : errorResponse(405, 'MethodNotAllowed', 'List takes GET.');
    const [, , resourceGroup = '', name = '', action] = item ?? [];
    const record = this.clusters.get(clusterKey(resourceGroup, name));
    const apiVersion = req.url.searchParams.get('api-version') ?? '';
    if (!action && req.method === 'PUT') return this.createOrUpdate(req, resourceGroup, name, apiVersion, record);
    if (!record) return resourceNotFound(RESOURCE_TYPE, name, resourceGroup);
    if (!action && req.method === 'GET') return { status: 200, body: this.view(record.state) };
    if (req.method === 'POST') {
      switch (action?.toLowerCase()) {
        case 'rotateclustercertificates':
          return this.rotateCertificates(record, apiVersion);
        case 'listclusterusercredential':
          return this.credentials(record, 'clusterUser');
        case 'listclusteradmincredential':
          return this.credentials(record, 'clusterAdmin');
        default:
          break; // any other action: 405 below
      }
    }
    return errorResponse(405, 'MethodNotAllowed', `${req.method} ${req.url.pathname} is not supported.`);
  }

  private list(resourceGroup: string | undefined): SimResponse {
    const value = [...this.clusters.values()]
      .filter((r) => !resourceGroup || r.state.resourceGroup.toLowerCase() === resourceGroup.toLowerCase())
      .map((r) => this.view(r.state));
    return { status: 200, body: { value } };
  }

  private createOrUpdate(
    req: SimRequest,
    resourceGroup: string,
    name: string,
    apiVersion: string,
    existing?: ClusterRecord,
  ): SimResponse {
    const body = jsonBody<ManagedClusterWire>(req);
    if (!body)
      return errorResponse(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    if (!body.location)
      return errorResponse(400, 'LocationRequired', 'The location property is required for this definition.');
    const running = existing && this.deps.operations.running(existing.state);
    if (running) return operationNotAllowed(running.kind);
    const kmsRequest = body.properties?.securityProfile?.azureKeyVaultKms;
    const fresh = existing ? undefined : this.newState(resourceGroup, name, body.location);
    // fresh is set whenever existing is not; the rule cannot see that through `??`.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    const before = existing?.state ?? (fresh as SimManagedCluster);
    if (kmsRequest) {
      const context = {
        current: existing?.state.securityProfile.azureKeyVaultKms,
        identityObjectId: before.principalId,
        vault: this.deps.vault,
        vaultUrl: this.deps.vaultUrl(),
        vaults: this.deps.vaults,
      };
      const invalid = kmsRequestError(kmsRequest, context);
      if (invalid) return invalid;
    }
    const goalVersion = body.properties?.kubernetesVersion ?? before.kubernetesVersion;
    // A new cluster starts at the version asked for; an existing one is upgraded to it.
    const blocked = kmsUpgradeError(
      existing ? before.kubernetesVersion : goalVersion,
      goalVersion,
      before.securityProfile.azureKeyVaultKms,
    );
    if (blocked) return blocked;
    const record = existing ?? { state: fresh as SimManagedCluster, spec: { resourceGroup, name } };
    if (!existing) this.clusters.set(clusterKey(resourceGroup, name), record);
    const { state, spec } = record;
    // A new cluster's client certificates are issued for as long as a rotation's are.
    const certificateExpiry = new Date(this.deps.ctx.now() + ROTATED_CERT_VALIDITY_MS);
    const currentKms = state.securityProfile.azureKeyVaultKms;
    // A PUT replaces the resource: what the body leaves out is reset, not kept.
    const goalKms = kmsFromRequest(kmsRequest);
    const goalTags = body.tags ?? {};
    state.provisioningState = existing ? 'Updating' : 'Creating';
    const op = this.deps.operations.start(state, 'createOrUpdate', UPDATE_DURATION_MS, async () => {
      if (!existing) {
        if (this.deps.provision)
          Object.assign(spec, await this.deps.provision({ resourceGroup, name, certificateExpiry }));
        state.certificateExpiry = certificateExpiry;
      }
      if (kmsChanged(currentKms, goalKms)) {
        if (goalKms?.enabled) {
          verifyKmsNetworkPath(goalKms, this.deps.vaults);
          spec.onKmsKeyChange?.(verifyKmsKey(goalKms.keyId, this.deps.vault));
        } else spec.onKmsDisabled?.();
      }
      state.securityProfile.azureKeyVaultKms = goalKms;
      state.tags = goalTags;
      state.kubernetesVersion = goalVersion;
    });
    // ARM answers with the goal state; the cluster itself changes only when the operation succeeds.
    const goal = {
      ...state,
      tags: goalTags,
      kubernetesVersion: goalVersion,
      securityProfile: { azureKeyVaultKms: goalKms },
    };
    return {
      status: existing ? 200 : 201,
      body: this.view(goal),
      headers: this.deps.operations.headers(op, apiVersion, false),
    };
  }

  private rotateCertificates(record: ClusterRecord, apiVersion: string): SimResponse {
    const { state, spec } = record;
    const { operations, faults, ctx } = this.deps;
    const running = operations.running(state);
    if (running) return operationNotAllowed(running.kind);
    const succeeds = faults.rotateSucceeds;
    state.provisioningState = 'RotatingClusterCertificates';
    const op = operations.start(state, 'rotateClusterCertificates', faults.rotateDuration, async () => {
      if (!succeeds) {
        throw new OperationError(
          'RotateClusterCertificatesFailed',
          `Rotating the certificates of cluster ${state.name} failed. Retry the operation.`,
        );
      }
      // The new client certificates carry the new expiry: credentials fetched afterwards show it.
      const certificateExpiry = new Date(ctx.now() + ROTATED_CERT_VALIDITY_MS);
      await spec.onRotateCertificates?.({ certificateExpiry });
      state.certificateExpiry = certificateExpiry;
    });
    return { status: 202, headers: operations.headers(op, apiVersion, true) };
  }

  private credentials(record: ClusterRecord, kind: 'clusterUser' | 'clusterAdmin'): SimResponse {
    const source = kind === 'clusterAdmin' ? record.spec.adminKubeconfig : record.spec.kubeconfig;
    const yaml = source ? source() : this.placeholderKubeconfig(record.state, kind);
    return {
      status: 200,
      body: { kubeconfigs: [{ name: kind, value: Buffer.from(yaml, 'utf8').toString('base64') }] },
    };
  }

  private placeholderKubeconfig(state: SimManagedCluster, user: string): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters:\n- name: ${state.name}\n  cluster:\n    server: https://${this.fqdn(state)}:443`,
      `users:\n- name: ${user}_${state.resourceGroup}_${state.name}\n  user: {}`,
      `contexts:\n- name: ${state.name}\n  context:\n    cluster: ${state.name}\n    user: ${user}_${state.resourceGroup}_${state.name}`,
      `current-context: ${state.name}`,
      '',
    ].join('\n');
  }

  private newState(resourceGroup: string, name: string, location: string): SimManagedCluster {
    const id = `/subscriptions/${this.deps.ctx.subscriptionId}/resourceGroups/${resourceGroup}/providers/${RESOURCE_TYPE}/${name}`;
    return {
      id,
      resourceGroup,
      name,
      location,
      provisioningState: 'Succeeded',
      kubernetesVersion: '1.33.2',
      tags: {},
      securityProfile: {},
      history: [],
      principalId: randomUUID(),
      kubeletIdentity: { clientId: randomUUID(), objectId: randomUUID() },
    };
  }

  private fqdn(state: SimManagedCluster): string {
    return `${state.name.toLowerCase()}-dns.hcp.${state.location}.azmk8s.io`;
  }

  private view(state: SimManagedCluster): Record<string, unknown> {
    const kms = state.securityProfile.azureKeyVaultKms;
    return {
      id: state.id,
      name: state.name,
      type: 'Microsoft.ContainerService/ManagedClusters',
      location: state.location,
      tags: state.tags,
      sku: { name: 'Base', tier: 'Free' },
      identity: { type: 'SystemAssigned', principalId: state.principalId, tenantId: this.deps.ctx.tenantId },
      properties: {
        provisioningState: state.provisioningState,
        powerState: { code: 'Running' },
        kubernetesVersion: state.kubernetesVersion,
        currentKubernetesVersion: state.kubernetesVersion,
        dnsPrefix: `${state.name}-dns`,
        fqdn: this.fqdn(state),
        enableRBAC: true,
        nodeResourceGroup: `MC_${state.resourceGroup}_${state.name}_${state.location}`,
        // A cluster with a managed identity reports the placeholder client id `msi`, as AKS does.
        servicePrincipalProfile: { clientId: 'msi' },
        agentPoolProfiles: [
          {
            name: 'nodepool1',
            count: 1,
            vmSize: 'Standard_DS2_v2',
            osDiskSizeGB: 128,
            osDiskType: 'Managed',
            maxPods: 110,
            type: 'VirtualMachineScaleSets',
            provisioningState: state.provisioningState,
            orchestratorVersion: state.kubernetesVersion,
            powerState: { code: 'Running' },
            mode: 'System',
            osType: 'Linux',
            osSKU: 'Ubuntu',
          },
        ],
        networkProfile: {
          networkPlugin: 'kubenet',
          loadBalancerSku: 'standard',
          podCidr: '10.244.0.0/16',
          serviceCidr: '10.0.0.0/16',
          dnsServiceIP: '10.0.0.10',
          outboundType: 'loadBalancer',
          podCidrs: ['10.244.0.0/16'],
          serviceCidrs: ['10.0.0.0/16'],
          ipFamilies: ['IPv4'],
        },
        maxAgentPools: 100,
        identityProfile: {
          kubeletidentity: {
            resourceId: `/subscriptions/${this.deps.ctx.subscriptionId}/resourcegroups/MC_${state.resourceGroup}_${state.name}_${state.location}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${state.name}-agentpool`,
            clientId: state.kubeletIdentity.clientId,
            objectId: state.kubeletIdentity.objectId,
          },
        },
        securityProfile: kms ? { azureKeyVaultKms: kms } : {},
      },
    };
  }
}
