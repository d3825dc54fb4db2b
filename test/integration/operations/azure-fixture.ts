import { ClientSecretCredential } from '@azure/identity';
import { KubeConfig } from '@kubernetes/client-node';
import { AzureClients } from '../../../src/clusters/azure-clients';
import type { AzureSim } from '../../../src/sandbox/azure';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { enqueueApprovedRequest } from '../../../src/queue/enqueue';
import { openQueueEvents, waitForJob } from '../../../src/queue/queue-events';
import { OPERATION_QUEUES } from '../../../src/queue/queue-names';
import { approvedRequest } from '../queue/fixtures';
import type { Harness } from '../queue/harness';

/** The real Azure SDK clients aimed at azure-sim (its CA trusted; Key Vault's challenge checked as by default). */
export function simAzureClients(sim: AzureSim): AzureClients {
  const credential = new ClientSecretCredential(sim.tenantId, sim.clientId, sim.clientSecret, {
    authorityHost: sim.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: sim.tlsOptions(),
  });
  return new AzureClients({ credential, tlsOptions: sim.tlsOptions() });
}

export function kubeConfigFromYaml(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

/** Stores an approved request for cluster c1, enqueues it and waits; resolves with the job's outcome. */
export async function runRequest(
  h: Harness,
  operation: keyof typeof OPERATION_QUEUES,
): Promise<{ request: ApprovalRequest; result?: unknown; error?: Error }> {
  const request = approvedRequest({ operation, cluster: 'c1' });
  await h.submit(request);
  const events = openQueueEvents(h.connection, OPERATION_QUEUES[operation], h.prefix);
  await events.waitUntilReady();
  try {
    const job = await enqueueApprovedRequest(h.queues, request);
    return { request, result: await waitForJob(job, events, 30_000) };
  } catch (err) {
    return { request, error: err as Error };
  } finally {
    await events.close();
  }
}
