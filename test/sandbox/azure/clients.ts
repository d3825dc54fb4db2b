import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KeyClient } from '@azure/keyvault-keys';
import { httpsAgentWithLocalhostNames } from '../../../src/clusters/localhost-names';
import { AzureSim } from '../../../src/sandbox/azure/server';

/**
 * The real SDK clients pointed at the simulator. In-process, the simulator's CA is trusted through the
 * pipeline option `tlsOptions: { ca }` (core-rest-pipeline hands it to the https agent); child processes
 * use NODE_EXTRA_CA_CERTS instead.
 */
export function credentialFor(sim: AzureSim, clientSecret = sim.clientSecret): ClientSecretCredential {
  return new ClientSecretCredential(sim.tenantId, sim.clientId, clientSecret, {
    authorityHost: sim.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: sim.tlsOptions(),
    retryOptions: { maxRetries: 0 },
  });
}

export function armClientFor(sim: AzureSim, apiVersion?: string): ContainerServiceClient {
  return new ContainerServiceClient(credentialFor(sim), sim.subscriptionId, {
    endpoint: sim.armEndpoint,
    tlsOptions: sim.tlsOptions(),
    ...(apiVersion ? { apiVersion } : {}),
  });
}

/**
 * The vault is `https://certops-sim.vault.localhost:PORT/`: the agent resolves that name to loopback (RFC 6761)
 * and trusts the simulator's CA; the challenge check keeps the SDK's default.
 */
export function keyClientFor(sim: AzureSim): KeyClient {
  return new KeyClient(sim.keyVaultUrl, credentialFor(sim), { agent: httpsAgentWithLocalhostNames(sim.tlsOptions()) });
}

/** A bare HTTPS request to the simulator, for what the SDKs never send (no token, a wrong audience). */
export function rawRequest(
  sim: AzureSim,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sim.url), { method, headers, ca: sim.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.setHeader('Content-Type', 'application/json');
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Starts a simulator before each test (or once for the file) and stops it afterwards. */
export function useAzureSim(scope: 'each' | 'all' = 'each'): () => AzureSim {
  let sim: AzureSim | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    sim = await AzureSim.start();
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await sim?.stop();
  });
  return () => {
    if (!sim) throw new Error('the Azure simulator is not running');
    return sim;
  };
}
