export { AzureSim } from './server';
export type {
  AzureSimOptions,
  ProvisionCluster,
  SimClusterBackend,
  RequestRecord,
  SimClusterSpec,
  SimKeyVersion,
  SimManagedCluster,
  SimOperation,
} from './server';
export type { SimFaults } from './faults';
