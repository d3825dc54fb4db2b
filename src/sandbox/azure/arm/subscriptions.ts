import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/** Microsoft.Resources api-versions for subscriptions and tenants (az 2.45 sends 2019-11-01, the SDKs 2022-12-01). */
export const SUBSCRIPTION_API_VERSIONS = [
  '2016-06-01',
  '2018-06-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2021-01-01',
  '2022-12-01',
];

export interface SubscriptionFacts {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
}

function subscriptionBody(facts: SubscriptionFacts): Record<string, unknown> {
  return {
    id: `/subscriptions/${facts.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: facts.subscriptionId,
    tenantId: facts.tenantId,
    displayName: facts.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

/**
 * `GET /subscriptions`, `GET /subscriptions/{id}` and `GET /tenants`: what a signed-in client reads to pick its
 * subscription (`az login`, `az account show`). The one subscription of the simulated tenant.
 */
export function subscriptionsRoute(req: SimRequest, facts: SubscriptionFacts): SimResponse | undefined {
  const path = req.url.pathname.replace(/\/$/, '');
  const one = /^\/subscriptions\/([^/]+)$/i.exec(path);
  if (path !== '/subscriptions' && path !== '/tenants' && !one) return undefined;
  if (req.method !== 'GET') return errorResponse(405, 'MethodNotAllowed', `${req.method} is not supported on ${path}.`);
  const apiVersion = req.url.searchParams.get('api-version');
  if (!apiVersion)
    return errorResponse(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  if (!SUBSCRIPTION_API_VERSIONS.includes(apiVersion)) {
    return errorResponse(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${[...SUBSCRIPTION_API_VERSIONS].reverse().join(',')}'.`,
    );
  }
  if (path === '/tenants') {
    return {
      status: 200,
      body: {
        value: [
          {
            id: `/tenants/${facts.tenantId}`,
            tenantId: facts.tenantId,
            tenantCategory: 'Home',
            displayName: 'certops sandbox',
            domains: ['sandbox.localhost'],
          },
        ],
      },
    };
  }
  if (one) {
    if (one[1]?.toLowerCase() !== facts.subscriptionId.toLowerCase()) {
      return errorResponse(404, 'SubscriptionNotFound', `The subscription '${one[1] ?? ''}' could not be found.`);
    }
    return { status: 200, body: subscriptionBody(facts) };
  }
  return { status: 200, body: { value: [subscriptionBody(facts)], count: { type: 'Total', value: 1 } } };
}
