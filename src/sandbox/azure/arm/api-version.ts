import { errorResponse } from '../errors';
import type { SimRequest, SimResponse } from '../http';

/**
 * The GA api-versions of Microsoft.ContainerService/managedClusters (the REST specification's stable folders), all
 * answered by one model: az 2.45 sends 2022-11-01, older SDKs 2024-02-01 or 2024-05-01, @azure/arm-containerservice
 * 25.3 sends 2026-04-01.
 */
export const MANAGED_CLUSTER_API_VERSIONS = [
  '2017-08-31',
  '2018-03-31',
  '2019-02-01',
  '2019-04-01',
  '2019-06-01',
  '2019-08-01',
  '2019-10-01',
  '2019-11-01',
  '2020-01-01',
  '2020-02-01',
  '2020-03-01',
  '2020-04-01',
  '2020-06-01',
  '2020-07-01',
  '2020-09-01',
  '2020-11-01',
  '2020-12-01',
  '2021-02-01',
  '2021-03-01',
  '2021-05-01',
  '2021-07-01',
  '2021-08-01',
  '2021-09-01',
  '2021-10-01',
  '2022-01-01',
  '2022-02-01',
  '2022-03-01',
  '2022-04-01',
  '2022-06-01',
  '2022-07-01',
  '2022-08-01',
  '2022-09-01',
  '2022-11-01',
  '2023-01-01',
  '2023-02-01',
  '2023-03-01',
  '2023-04-01',
  '2023-05-01',
  '2023-06-01',
  '2023-07-01',
  '2023-08-01',
  '2023-09-01',
  '2023-10-01',
  '2023-11-01',
  '2024-01-01',
  '2024-02-01',
  '2024-05-01',
  '2024-07-01',
  '2024-08-01',
  '2024-09-01',
  '2024-10-01',
  '2025-01-01',
  '2025-02-01',
  '2025-03-01',
  '2025-04-01',
  '2025-05-01',
  '2025-06-01',
  '2025-07-01',
  '2025-08-01',
  '2025-10-01',
  '2026-01-01',
  '2026-02-01',
  '2026-03-01',
  '2026-04-01',
];

/**
 * The GA api-versions of Microsoft.KeyVault/vaults (the REST specification's stable folders): az 2.45 sends 2022-07-01,
 * @azure/arm-keyvault 5.0 sends 2026-02-01.
 */
export const KEY_VAULT_API_VERSIONS = [
  '2015-06-01',
  '2016-10-01',
  '2018-02-14',
  '2019-09-01',
  '2021-10-01',
  '2022-07-01',
  '2022-11-01',
  '2023-02-01',
  '2023-07-01',
  '2024-11-01',
  '2025-05-01',
  '2026-02-01',
];

/**
 * ARM's answers to a missing or unknown api-version for a resource type (`managedClusters`, `vaults`); undefined when
 * the request may proceed.
 */
export function apiVersionError(
  req: SimRequest,
  location: string,
  type = 'managedClusters',
  versions = MANAGED_CLUSTER_API_VERSIONS,
): SimResponse | undefined {
  const apiVersion = req.url.searchParams.get('api-version');
  if (!apiVersion) {
    return errorResponse(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (versions.includes(apiVersion)) return undefined;
  return errorResponse(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${versions.join(', ')}'.`,
  );
}
