import net from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { UnrecoverableError } from 'bullmq';
import { KubeSim } from '../../../src/sandbox/kube';
import { apiCall } from '../../../src/operations/errors/classify-api-error';
import { TransientError } from '../../../src/operations/errors/transient-error';

// Real failures through the real Kubernetes client: what the job says, and whether it retries.
describe('API failures explained by their cause', () => {
  let sim: KubeSim;
  let closedPort: number;

  beforeAll(async () => {
    sim = await KubeSim.start();
    sim.addUser('nobody', []);
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  afterAll(async () => {
    await sim.stop();
  });

  const listWith = async (yaml: string): Promise<Error> => {
    const kc = new KubeConfig();
    kc.loadFromString(yaml);
    const core = kc.makeApiClient(CoreV1Api);
    return apiCall(() => core.listNamespace(), 'listing namespaces').then(
      () => {
        throw new Error('the call succeeded');
      },
      (err: Error) => err,
    );
  };
  const atServer = (server: string) => sim.kubeconfig().replace(/server: \S+/, `server: ${server}`);

  const cases: Array<{ name: string; yaml: () => Promise<string> | string; message: RegExp; retries: boolean }> = [
    {
      name: 'a CA that changed under the client stops at once and says to fetch fresh credentials',
      yaml: async () => {
        const before = sim.kubeconfig();
        await sim.rotateCa();
        return before;
      },
      message:
        /^listing namespaces: x509: certificate signed by unknown authority — the API server's CA changed; fetch fresh credentials$/,
      retries: false,
    },
    {
      name: 'a refused connection is retried and names the address',
      yaml: () => atServer(`https://127.0.0.1:${closedPort}`),
      message:
        /^listing namespaces: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — nothing listens there now/,
      retries: true,
    },
    {
      name: 'an unknown host is explained as DNS',
      yaml: () => atServer('https://no-such-host.invalid:6443'),
      message: /^listing namespaces: DNS: no such host no-such-host\.invalid \(ENOTFOUND\)/,
      retries: true,
    },
    {
      name: 'a token the API server does not know stops at once and says to fetch fresh credentials',
      yaml: () => sim.kubeconfig().replace(/token: \S+/, 'token: not-a-real-token'),
      message: /^listing namespaces: HTTP 401.* — .*fetch fresh credentials$/,
      retries: false,
    },
    {
      name: 'a user without permission stops at once and says to grant it',
      yaml: () => sim.kubeconfig({ user: 'nobody' }),
      message: /^listing namespaces: HTTP 403: .* — certops' identity is not allowed to do this; grant it/,
      retries: false,
    },
  ];

  it.each(cases)('$name', async ({ yaml, message, retries }) => {
    const err = await listWith(await yaml());
    expect(err.message).toMatch(message);
    expect(err instanceof TransientError).toBe(retries);
    expect(err instanceof UnrecoverableError).toBe(!retries);
  });
});
