import { ContainerServiceClient } from '@azure/arm-containerservice';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { KeyClient, type KeyClientOptions } from '@azure/keyvault-keys';
import type { ClusterConfig } from '../config/schema';

export type AksSettings = NonNullable<ClusterConfig['aks']>;
export type KmsSettings = NonNullable<ClusterConfig['kms']>;
type TlsSettings = NonNullable<KeyClientOptions['tlsOptions']>;

// Entra ID authorities MSAL knows; any other AZURE_AUTHORITY_HOST (Azure Stack, ADFS, the sandbox) has no
// instance-discovery endpoint, and asking Microsoft about it fails every token request.
const KNOWN_AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];

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
   * with: only for a vault on a bare address (the simulator on 127.0.0.1).
   */
  disableChallengeResourceVerification?: boolean;
  /** Token scope for ARM; default `<armEndpoint>/.default` (each cloud's ARM audience is its endpoint). */
  armScope?: string;
}

/** Builds the Azure SDK clients for configured clusters; one credential shared by every client. */
export class AzureClients {
  readonly credential: TokenCredential;
  private readonly tlsOptions: TlsSettings | undefined;
  private readonly disableChallengeResourceVerification: boolean;
  private readonly armScope: string | undefined;

  constructor(options: AzureClientOptions = {}) {
    this.credential = options.credential ?? new DefaultAzureCredential(defaultCredentialOptions(process.env));
    this.tlsOptions = options.tlsOptions;
    this.disableChallengeResourceVerification = options.disableChallengeResourceVerification ?? false;
    this.armScope = options.armScope;
  }

  containerService(aks: AksSettings): ContainerServiceClient {
    const endpoint = aks.armEndpoint.replace(/\/+$/, '');
    return new ContainerServiceClient(this.credential, aks.subscriptionId, {
      endpoint,
      // The token audience follows the ARM endpoint, so sovereign clouds need no code change.
      credentials: { scopes: [this.armScope ?? `${endpoint}/.default`] },
      ...(this.tlsOptions ? { tlsOptions: this.tlsOptions } : {}),
    });
  }

  keys(kms: KmsSettings): KeyClient {
    return new KeyClient(kms.keyVaultUrl, this.credential, {
      disableChallengeResourceVerification: this.disableChallengeResourceVerification,
      ...(this.tlsOptions ? { tlsOptions: this.tlsOptions } : {}),
    });
  }
}
