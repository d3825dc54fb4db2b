import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_SERVER } from '../../../src/config/schema';

interface Container {
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
}

const deployments = parseAllDocuments(readFileSync(join(__dirname, '../../../deploy/deployment.yaml'), 'utf8'))
  .map(
    (doc) =>
      doc.toJS() as {
        kind: string;
        metadata: { name: string };
        spec: { template: { spec: { containers: Container[] } } };
      },
  )
  .filter((doc) => doc.kind === 'Deployment');

describe('deploy/deployment.yaml probes and ports', () => {
  it('has the bot and the worker', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['certops-bot', 'certops-worker']);
  });

  it.each(deployments.map((d) => [d.metadata.name, d.spec.template.spec.containers[0] as Container]))(
    '%s probes /readyz and /healthz on the metrics listener, bound where the kubelet reaches it',
    (_name, container) => {
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      const metricsPort = container.ports?.find((p) => p.name === 'metrics');
      expect(metricsPort?.containerPort).toBe(Number(env.METRICS_PORT ?? DEFAULT_SERVER.metricsPort));
      // The kubelet connects to the pod IP: a loopback listener would fail every probe.
      expect(env.METRICS_HOST).toBe('0.0.0.0');
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      // The port facing Slack (if any) is the configured public port, never the metrics one.
      for (const port of container.ports ?? [])
        if (port.name !== 'metrics') expect(port.containerPort).toBe(DEFAULT_SERVER.port);
    },
  );
});
