import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseCertificates } from '../../../src/core/x509';
import { KubeSim } from '../../../src/sandbox/kube';
import { createCsr } from '../../../src/sandbox/pki/issue';
import { scanCluster } from '../../../src/sources/cluster-inventory';
import { b64, clusterConfig, issueChain, kubeConfigFor, tlsSecret, type IssuedChain } from './sim-cluster';

/** Accepts TCP and never speaks TLS: a handshake against it can only time out. */
async function silentServer(): Promise<{ server: Server; endpoint: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

describe('cluster inventory', () => {
  let sim: KubeSim;
  let web: IssuedChain;
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    [sim, web, silent] = await Promise.all([KubeSim.start(), issueChain('web.example.com'), silentServer()]);
    sim.store.secrets.create(tlsSecret('shop', 'web-tls', web));
    sim.store.secrets.create(tlsSecret('blog', 'web-tls', web));
    const { csrPem } = await createCsr({ commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
    sim.store.csrs.create({
      metadata: { name: 'csr-worker-1' },
      spec: {
        request: b64(csrPem),
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['client auth'],
      },
      status: { certificate: b64(web.leaf.certPem) },
    });
  });
  afterAll(async () => {
    for (const socket of silent.sockets) socket.destroy();
    await Promise.all([sim.stop(), new Promise((resolve) => silent.server.close(resolve))]);
  });
  afterEach(() => sim.faults.clear());

  it('merges every source by fingerprint: one record, every location', async () => {
    const scan = await scanCluster(clusterConfig(), { kubeConfig: kubeConfigFor(sim) });

    const leaf = scan.certificates.find((r) => r.subjectCN === 'web.example.com');
    expect(leaf?.locations.sort()).toEqual([
      'csr:csr-worker-1',
      'secret:blog/web-tls#tls.crt',
      'secret:shop/web-tls#tls.crt',
    ]);
    expect(scan.cluster).toBe('sim');
    expect(scan.errors).toEqual([]);
    expect(scan.durationSeconds).toBeGreaterThan(0);
  });

  it('reads the API server serving chain from a real TLS handshake', async () => {
    const scan = await scanCluster(clusterConfig(), { kubeConfig: kubeConfigFor(sim) });

    const endpoint = `tls:${new URL(sim.url).host}`;
    const served = scan.certificates.filter((r) => r.locations.includes(endpoint));
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served[0]?.source).toBe('tls');
    // The serving leaf, issued by the cluster CA the kubeconfig trusts.
    const ca = parseCertificates(sim.caPem(), { source: 'test', location: 'ca' });
    const caKeyId = ca.ok ? ca.certificates[0]?.subjectKeyId : undefined;
    const leaf = served.find((r) => !r.isCA);
    expect(leaf?.subjectCN).toBe('kube-apiserver');
    expect(leaf?.authorityKeyId).toBe(caKeyId);
    expect(caKeyId).toBeDefined();
  });

  it('reports endpoints that time out or refuse as error entries and keeps the rest', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedEndpoint = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const scan = await scanCluster(clusterConfig({ endpoints: [silent.endpoint, closedEndpoint] }), {
      kubeConfig: kubeConfigFor(sim),
      endpointTimeoutMs: 300,
    });

    // Only the two bad endpoints are asserted: the short timeout also applies to the simulator's own
    // handshake, which a loaded machine may not finish in 300 ms (the test above reads that one).
    const errorOf = (endpoint: string) => scan.errors.find((e) => e.location === `tls:${endpoint}`);
    expect(errorOf(silent.endpoint)).toEqual({
      source: 'tls',
      reason: 'unreachable',
      location: `tls:${silent.endpoint}`,
      message: expect.stringMatching(/no TLS handshake within 300 ms/),
    });
    expect(errorOf(closedEndpoint)).toEqual({
      source: 'tls',
      reason: 'unreachable',
      location: `tls:${closedEndpoint}`,
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(scan.certificates.find((r) => r.subjectCN === 'web.example.com')?.locations).toContain(
      'secret:shop/web-tls#tls.crt',
    );
  });

  it('isolates a failing source: a 500 on CSRs is one error entry, the others still report', async () => {
    sim.faults.failNext(1, /certificatesigningrequests/, 500);

    const scan = await scanCluster(clusterConfig(), { kubeConfig: kubeConfigFor(sim) });

    expect(scan.errors).toEqual([
      {
        source: 'csr',
        reason: 'source_failed',
        location: 'csr:sim',
        message: expect.stringMatching(/^the csr source failed: HTTP 500: injected fault/),
      },
    ]);
    const leaf = scan.certificates.find((r) => r.subjectCN === 'web.example.com');
    expect(leaf?.locations.sort()).toEqual(['secret:blog/web-tls#tls.crt', 'secret:shop/web-tls#tls.crt']);
  });

  it('reports a failed secrets list without losing the CSRs', async () => {
    sim.faults.failNext(1, /\/api\/v1\/secrets/, 500);

    const scan = await scanCluster(clusterConfig(), { kubeConfig: kubeConfigFor(sim) });

    expect(scan.errors.map((e) => `${e.source} ${e.reason}`)).toEqual(['secret source_failed']);
    expect(scan.certificates.find((r) => r.subjectCN === 'web.example.com')?.locations).toEqual(['csr:csr-worker-1']);
  });
});
