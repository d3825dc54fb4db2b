import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncryptionReport } from '../kube/encryption';

/** A Kubernetes simulator the sandbox runs, named by the API server URL its kubeconfigs carry. */
export interface ControlledCluster {
  name: string;
  server: string;
  encryption(): EncryptionReport;
}

/**
 * The sandbox's control endpoint (plain HTTP on loopback), for tests and curious users: what no real API exposes.
 *   GET /clusters                  every simulated API server: [{ name, server }]
 *   GET /encryption?server=URL     which key version each secret of that API server is stored under, and which are stale
 */
export async function startControlServer(
  clusters: () => ControlledCluster[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, body: unknown) => {
      // One answer per connection: a client's idle keep-alive socket can otherwise meet the server's timeout.
      res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return answer(405, { error: 'the control endpoint only answers GET' });
    if (url.pathname === '/clusters')
      return answer(
        200,
        clusters().map(({ name, server }) => ({ name, server })),
      );
    if (url.pathname === '/encryption') {
      const wanted = (url.searchParams.get('server') ?? '').replace(/\/$/, '');
      const cluster = clusters().find((c) => c.server === wanted);
      if (!cluster) return answer(404, { error: `no simulated API server at "${wanted}"; GET /clusters lists them` });
      return answer(200, { name: cluster.name, server: cluster.server, ...cluster.encryption() });
    }
    answer(404, { error: 'unknown path: GET /clusters or /encryption?server=URL' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
