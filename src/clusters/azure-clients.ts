import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { KeyClient, type KeyClientOptions } from '@azure/keyvault-keys';
import type { Agent } from 'node:https';
import type { ClusterConfig } from '../config/schema';
import { httpsAgentWithLocalhostNames } from './localhost-names';

export type AksSettings = NonNullable<ClusterConfig['aks']>;
export type KmsSettings = NonNullable<ClusterConfig['kms']>;
type TlsSettings = NonNullable<KeyClientOptions['tlsOptions']>;

// Entra ID authorities MSAL knows; any other AZURE_AUTHORITY_HOST (Azure Stack, ADFS, the sandbox) has no
// instance-discovery endpoint, and asking Microsoft about it fails every token request.
const KNOWN_AUTHORITY_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

export function defaultCredentialOptions(env: NodeJS.ProcessEnv): { disableInstanceDiscovery?: boolean } {
  const authority = env.AZURE_AUTHORITY_HOST;
  if (!authority) return {};
  let host: string;
  try {
    host = new URL(authority).hostname;
  } catch {
    return {};
  }
  return KNOWN_AUTHORITY_HOSTS.includes(host) ? {} : { disableInstanceDiscovery: true };
}

export interface AzureClientOptions {
  /** Defaults to DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI). */
  credential?: TokenCredential;
  /** Extra TLS trust (a private CA in front of ARM or Key Vault, or the simulator's CA). */
  tlsOptions?: TlsSettings;
  /**
   * Skip the check that Key Vault's auth challenge names a resource whose host the vault's host ends
   * with: only for a vault behind a custom host name or a bare address.
   */
  disableChallengeResourceVerification?: boolean;
  /** Token scope for ARM; default `<armEndpoint>/.default` (each cloud's ARM audience is its endpoint). */
  armScope?: string;
}

/** Builds the Azure SDK clients for configured clusters; one credential shared by every client. */
export class AzureClients {
  readonly credential: TokenCredential;
  /** One keep-alive agent for every Azure call; it also resolves `.localhost` names (RFC 6761). */
  private readonly agent: Agent;
  private readonly disableChallengeResourceVerification: boolean;
  private readonly armScope: string | undefined;

  constructor(options: AzureClientOptions = {}) {
    this.credential = options.credential ?? new DefaultAzureCredential(defaultCredentialOptions(process.env));
    this.agent = httpsAgentWithLocalhostNames(options.tlsOptions);
    this.disableChallengeResourceVerification = options.disableChallengeResourceVerification ?? false;
    this.armScope = options.armScope;
  }

  containerService(aks: AksSettings): ContainerServiceClient {
    const endpoint = aks.armEndpoint.replace(/\/+$/, '');
    return new ContainerServiceClient(this.credential, aks.subscriptionId, {
      endpoint,
      // The token audience follows the ARM endpoint, so sovereign clouds need no code change.
      credentials: { scopes: [this.armScope ?? `${endpoint}/.default`] },
      agent: this.agent,
    });
  }

  keys(kms: KmsSettings): KeyClient {
    return this.keysAt(kms.keyVaultUrl);
  }

  /** The data plane of any vault, by URL: a KMS key id may name a vault other than the configured one. */
  keysAt(vaultUrl: string): KeyClient {
    return new KeyClient(vaultUrl, this.credential, {
      disableChallengeResourceVerification: this.disableChallengeResourceVerification,
      agent: this.agent,
    });
  }

  /** Microsoft.KeyVault/vaults in ARM, in the cluster's cloud, for a subscription (default the cluster's). */
  keyVaultManagement(aks: AksSettings, subscriptionId = aks.subscriptionId): KeyVaultManagementClient {
    const endpoint = aks.armEndpoint.replace(/\/+$/, '');
    return new KeyVaultManagementClient(this.credential, subscriptionId, {
      endpoint,
      credentials: { scopes: [this.armScope ?? `${endpoint}/.default`] },
      agent: this.agent,
    });
  }
}
