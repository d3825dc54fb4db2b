export { AzureSim } from './server';
export type { AzureSimOptions, RequestRecord, SimClusterSpec, SimKeyVersion, SimManagedCluster, SimOperation } from './server';
export type { SimFaults } from './faults';
