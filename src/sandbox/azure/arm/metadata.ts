import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/** What the cloud's metadata names: its ARM endpoint, its sign-in authority and the Key Vault DNS suffix. */
export interface CloudFacts {
  name: string;
  resourceManager: string;
  loginEndpoint: string;
  /** `adfs` for an AD FS authority, else the tenant users sign in to by default. */
  tenant: string;
  identityProvider: 'AAD' | 'ADFS';
  keyVaultDns: string;
}

// ARM's tokens are issued for its classic audience first; az takes audiences[0] as the resource to ask tokens for.
const AUDIENCES = ['https://management.core.windows.net/', 'https://management.azure.com/'];
const LEGACY_VERSIONS = ['2015-01-01'];
const CURRENT_VERSIONS = ['2019-05-01', '2020-06-01', '2022-09-01'];

/**
 * `GET {arm}/metadata/endpoints?api-version=…`, answered without a token as ARM does: how any client (az cloud
 * register, Terraform, the SDKs) learns a custom cloud. 2015-01-01 is the shape msrestazure (az 2.45) reads; later
 * versions describe the cloud with its suffixes.
 */
export function cloudMetadata(req: SimRequest, facts: CloudFacts): SimResponse | undefined {
  if (req.url.pathname.replace(/\/$/, '') !== '/metadata/endpoints') return undefined;
  if (req.method !== 'GET') return errorResponse(405, 'MethodNotAllowed', 'The metadata endpoint takes GET.');
  const apiVersion = req.url.searchParams.get('api-version');
  if (!apiVersion)
    return errorResponse(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  const authentication = {
    loginEndpoint: facts.loginEndpoint,
    audiences: AUDIENCES,
    tenant: facts.tenant,
    identityProvider: facts.identityProvider,
  };
  if (LEGACY_VERSIONS.includes(apiVersion)) {
    return {
      status: 200,
      body: {
        galleryEndpoint: `${facts.resourceManager}/`,
        graphEndpoint: 'https://graph.windows.net/',
        portalEndpoint: `${facts.resourceManager}/`,
        authentication: { loginEndpoint: facts.loginEndpoint, audiences: AUDIENCES },
      },
    };
  }
  if (!CURRENT_VERSIONS.includes(apiVersion)) {
    return errorResponse(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${[...CURRENT_VERSIONS].reverse().concat(LEGACY_VERSIONS).join(',')}'.`,
    );
  }
  return {
    status: 200,
    body: {
      name: facts.name,
      resourceManager: `${facts.resourceManager}/`,
      portal: `${facts.resourceManager}/`,
      gallery: `${facts.resourceManager}/`,
      authentication,
      graph: 'https://graph.windows.net/',
      graphAudience: 'https://graph.windows.net/',
      microsoftGraphResourceId: 'https://graph.microsoft.com/',
      suffixes: { keyVaultDns: facts.keyVaultDns },
    },
  };
}
