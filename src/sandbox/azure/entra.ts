import { randomBytes } from 'node:crypto';
import { oauthError } from './errors';
import type { SimRequest, SimResponse } from './http';
import { bearerToken } from './http';

export interface EntraIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

interface IssuedToken {
  resource: string;
  expiresAt: number;
}

const TOKEN_LIFETIME_S = 3599;

/** `https://vault.azure.net/.default` and `https://vault.azure.net/` name the same audience. */
export function resourceOfScope(scope: string): string {
  return scope.replace(/\/\.default$/, '').replace(/\/+$/, '');
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'audience' };

/** The tenant-less authority path of AD FS, the identity provider of Azure Stack Hub clouds that run disconnected. */
export const ADFS_PATH = '/adfs';

/**
 * Simulated Entra ID: OIDC discovery and the v2.0 token endpoint for client credentials. Tokens are
 * opaque random strings remembered with their audience, so services can reject ones meant elsewhere.
 * The same service principal can also sign in at an AD FS authority (`/adfs`), as on Azure Stack Hub: MSAL treats an
 * AD FS authority as known and skips instance discovery, which for any other custom authority asks
 * login.microsoftonline.com (MSAL Python before 1.23 and az before 2.49 cannot turn that off).
 */
export class EntraSim {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly identity: EntraIdentity,
    private readonly baseUrl: () => string,
    private readonly now: () => number,
  ) {}

  route(req: SimRequest): SimResponse | undefined {
    const adfs = this.adfsRoute(req);
    if (adfs) return adfs;
    const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(
      req.url.pathname,
    );
    if (!match) return undefined;
    const [, tenant = '', endpoint] = match;
    if (tenant !== this.identity.tenantId && tenant !== 'organizations') {
      return oauthError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`, this.now());
    }
    if (endpoint?.startsWith('v2.0') && req.method === 'GET') return this.discovery();
    if (endpoint?.startsWith('oauth2') && req.method === 'POST') return this.token(req);
    return { status: 405, body: { error: 'invalid_request', error_description: 'Method not allowed.' } };
  }

  /** Checks an Authorization header against the tokens this Entra ID issued for one of `resources`. */
  check(req: SimRequest, ...resources: string[]): TokenCheck {
    const token = bearerToken(req);
    if (!token) return { ok: false, reason: 'missing' };
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'invalid' };
    if (issued.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    if (!resources.some((resource) => issued.resource === resourceOfScope(resource)))
      return { ok: false, reason: 'audience' };
    return { ok: true };
  }

  /** AD FS: `/adfs/.well-known/openid-configuration` and `/adfs/oauth2/token`. */
  private adfsRoute(req: SimRequest): SimResponse | undefined {
    const { pathname } = req.url;
    if (pathname === `${ADFS_PATH}/.well-known/openid-configuration` && req.method === 'GET')
      return this.adfsDiscovery();
    if (pathname.replace(/\/$/, '') === `${ADFS_PATH}/oauth2/token`) {
      return req.method === 'POST'
        ? this.token(req)
        : { status: 405, body: { error: 'invalid_request', error_description: 'MSIS9921: Method not allowed.' } };
    }
    return undefined;
  }

  private adfsDiscovery(): SimResponse {
    const authority = `${this.baseUrl()}${ADFS_PATH.slice(1)}`;
    return {
      status: 200,
      body: {
        issuer: authority,
        authorization_endpoint: `${authority}/oauth2/authorize/`,
        token_endpoint: `${authority}/oauth2/token/`,
        jwks_uri: `${authority}/discovery/keys`,
        end_session_endpoint: `${authority}/oauth2/logout`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'client_secret_basic',
          'private_key_jwt',
          'windows_client_authentication',
        ],
        response_types_supported: [
          'code',
          'id_token',
          'code id_token',
          'id_token token',
          'code token',
          'code id_token token',
        ],
        grant_types_supported: [
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'urn:ietf:params:oauth:grant-type:jwt-bearer',
          'implicit',
          'password',
        ],
        scopes_supported: [
          'openid',
          'profile',
          'email',
          'allatclaims',
          'user_impersonation',
          'logon_cert',
          'aza',
          'vpn_cert',
          'winhello_cert',
        ],
        access_token_issuer: 'http://127.0.0.1/adfs/services/trust',
      },
    };
  }

  private authority(): string {
    return `${this.baseUrl()}${this.identity.tenantId}`;
  }

  private discovery(): SimResponse {
    const authority = this.authority();
    return {
      status: 200,
      body: {
        issuer: `${authority}/v2.0`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'EU',
      },
    };
  }

  private token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body);
    const now = this.now();
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.', now);
    }
    if (form.get('client_id') !== this.identity.clientId) {
      return oauthError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${this.identity.tenantId}'.`,
        now,
      );
    }
    if (form.get('client_secret') !== this.identity.clientSecret) {
      return oauthError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.identity.clientId}'.`,
        now,
      );
    }
    const scope = (form.get('scope') ?? '').split(/\s+/).find((s) => s.endsWith('/.default'));
    if (!scope) {
      return oauthError(
        400,
        'invalid_scope',
        1002012,
        'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
        now,
      );
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { resource: resourceOfScope(scope), expiresAt: now + TOKEN_LIFETIME_S * 1000 });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
        ext_expires_in: TOKEN_LIFETIME_S,
        access_token: accessToken,
      },
    };
  }
}
