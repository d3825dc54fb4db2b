import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/** api-versions Microsoft.ContainerService answers to here; @azure/arm-containerservice 25.3 sends 2026-04-01. */
export const MANAGED_CLUSTER_API_VERSIONS = ['2025-07-01', '2025-08-01', '2025-10-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'];

/** ARM's answers to a missing or unknown api-version; undefined when the request may proceed. */
export function apiVersionError(req: SimRequest, location: string): SimResponse | undefined {
  const apiVersion = req.url.searchParams.get('api-version');
  if (!apiVersion) {
    return errorResponse(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (MANAGED_CLUSTER_API_VERSIONS.includes(apiVersion)) return undefined;
  return errorResponse(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type 'managedClusters'. The supported api-versions are '${MANAGED_CLUSTER_API_VERSIONS.join(', ')}'.`,
  );
}
