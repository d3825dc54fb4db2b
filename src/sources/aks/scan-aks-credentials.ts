import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { AksSettings } from '../../clusters/azure-clients';
import { errorMessage } from '../../util/errors';
import { combineInventories, type Inventory } from '../inventory';
import { certificatesFromCredential, readKubeconfigEntries } from '../kubeconfig';

export const AKS_SOURCE = 'aks';

type CredentialKind = 'user' | 'admin';

export interface AksScanOptions {
  cluster?: string;
}

function kubeconfigCertificates(text: string, base: string, cluster: string | undefined): Inventory {
  const read = readKubeconfigEntries(text);
  if (!read.ok) return { certificates: [], errors: [{ location: base, message: read.message }] };
  const parts: Inventory[] = [];
  const foundAt = (kind: string, name: string) => ({
    source: AKS_SOURCE,
    location: `${base}#${kind}/${name}`,
    name: `${kind}/${name}`,
    cluster,
  });
  for (const entry of read.entries.clusters) {
    if (entry.caData) parts.push(certificatesFromCredential({ data: entry.caData }, foundAt('cluster', entry.name)));
  }
  for (const entry of read.entries.users) {
    if (entry.certData) parts.push(certificatesFromCredential({ data: entry.certData }, foundAt('user', entry.name)));
  }
  return combineInventories(parts);
}

async function credentialsOf(
  client: ContainerServiceClient,
  aks: AksSettings,
  kind: CredentialKind,
  cluster: string | undefined,
): Promise<Inventory> {
  const base = `${AKS_SOURCE}:${aks.resourceGroup}/${aks.name}/${kind}`;
  try {
    const result =
      kind === 'user'
        ? await client.managedClusters.listClusterUserCredentials(aks.resourceGroup, aks.name)
        : await client.managedClusters.listClusterAdminCredentials(aks.resourceGroup, aks.name);
    // The SDK has already base64-decoded `value` into bytes of kubeconfig YAML.
    const parts = (result.kubeconfigs ?? []).map((credential) =>
      kubeconfigCertificates(
        Buffer.from(credential.value ?? new Uint8Array()).toString('utf8'),
        `${base}/${credential.name ?? 'kubeconfig'}`,
        cluster,
      ),
    );
    return combineInventories(parts);
  } catch (err) {
    // Admin credentials are refused on clusters with local accounts disabled; the user ones still count.
    return {
      certificates: [],
      errors: [{ location: base, message: `cannot list the cluster ${kind} credentials: ${errorMessage(err)}` }],
    };
  }
}

/** The cluster CA and client certificates in the kubeconfigs AKS hands out (user and admin). */
export async function scanAksCredentials(
  client: ContainerServiceClient,
  aks: AksSettings,
  options: AksScanOptions = {},
): Promise<Inventory> {
  const [user, admin] = await Promise.all([
    credentialsOf(client, aks, 'user', options.cluster),
    credentialsOf(client, aks, 'admin', options.cluster),
  ]);
  return combineInventories([user, admin]);
}
