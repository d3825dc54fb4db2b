import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulators, sandboxEnvironment, type Simulators } from '../../src/sandbox/harness/simulators';
import { silentLogger } from '../../src/util/logger';
import { freePort, startCertops, type CertopsProcess } from '../helpers/certops-process';
import { REDIS_URL } from '../helpers/e2e-stack';

interface Readiness {
  status: string;
  checks: Array<{ name: string; ok: boolean; error?: string }>;
}

describe('the certops service', () => {
  let sims: Simulators;
  let certops: CertopsProcess;

  beforeAll(async () => {
    sims = await startSimulators({ logger: silentLogger(), slackRateLimit: false });
  });
  afterAll(async () => {
    await certops?.stop('SIGKILL');
    await sims.stop();
  });

  it('answers /healthz, /readyz and /metrics, and names a cluster it cannot reach', async () => {
    // The same credentials, pointed at a port where no API server listens.
    const deadKubeconfig = join(sims.stateDir, 'dead-kubeconfig');
    writeFileSync(
      deadKubeconfig,
      readFileSync(sims.kubeconfigPath, 'utf8').replace(sims.kube.url, `https://127.0.0.1:${await freePort()}`),
    );
    certops = await startCertops({
      waitFor: 'healthy',
      env: { ...sandboxEnvironment(sims), REDIS_URL },
      config: {
        slack: { mode: 'http' },
        redis: { prefix: '{e2e-lifecycle}' },
        clusters: [
          { name: 'sim', kubeconfig: sims.kubeconfigPath },
          { name: 'gone', kubeconfig: deadKubeconfig },
        ],
      },
    });
    const health = await fetch(`${certops.metricsUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${certops.metricsUrl}/readyz`);
    const body = (await ready.json()) as Readiness;
    expect(ready.status).toBe(503);
    const byName = Object.fromEntries(body.checks.map((c) => [c.name, c]));
    expect(byName.redis?.ok).toBe(true);
    expect(byName.slack?.ok).toBe(true);
    expect(byName['cluster:sim']?.ok).toBe(true);
    expect(byName['cluster:gone']).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    const metrics = await (await fetch(`${certops.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('certops_process_resident_memory_bytes');
  });

  it('serves only /slack/events on the port facing Slack: health and metrics there are 404', async () => {
    for (const path of ['/metrics', '/readyz', '/healthz', '/', '/slack/events/../metrics']) {
      const res = await fetch(`${certops.baseUrl}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).not.toContain('certops_');
    }
    // Bolt's receiver is there: an unsigned event is refused by its signature check, not by a missing route.
    const unsigned = await fetch(`${certops.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"url_verification","challenge":"x"}',
    });
    expect(unsigned.status).toBe(401);
  });

  it('binds health and metrics to loopback by default: an address other than 127.0.0.1 reaches the Slack port only', async () => {
    // 127.0.0.2 is loopback too, but a listener bound to 127.0.0.1 alone does not take it; one on 0.0.0.0 does.
    const other = (url: string) => url.replace('127.0.0.1', '127.0.0.2');
    expect((await fetch(`${other(certops.baseUrl)}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(401);
    await expect(fetch(`${other(certops.metricsUrl)}/healthz`)).rejects.toMatchObject({
      cause: { code: 'ECONNREFUSED' },
    });
    expect((await fetch(`${certops.metricsUrl}/healthz`)).status).toBe(200);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await certops.stop('SIGTERM');
    expect(code).toBe(0);
    expect(certops.logs()).toContain('"msg":"stopped"');
  });
});
