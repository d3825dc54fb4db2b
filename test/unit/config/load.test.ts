import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../../src/config/load';
import { ConfigError } from '../../../src/util/errors';

const validCluster = { name: 'prod', kubeconfig: '/tmp/kc.yaml', channel: 'C0123ABCD' };

describe('configuration loading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('understands the shipped example', async () => {
    const { config } = await loadConfig('certops.example.yaml', {});
    expect(config.clusters.map((c) => c.name)).toEqual(['prod-aks', 'prod-kubeadm']);
    expect(config.expiry.warning).toBe(30 * 86400);
    expect(config.expiry.scanInterval).toBe(6 * 3600);
    expect(config.clusters[0]?.approvals['aks-rotate-certs']).toBe(3);
    // slack.roles.clusters.prod-aks is merged into the cluster's own roles
    expect(config.clusters[0]?.roles?.approvers).toEqual(['U0999DAVE']);
  });

  it('applies defaults when nothing is configured', () => {
    const config = parseConfig({}, 'certops.yaml', {});
    expect(config.expiry.critical).toBe(7 * 86400);
    expect(config.redis.prefix).toBe('{certops}');
    expect(config.slack.mode).toBe('socket');
  });

  it('lets REDIS_URL and PORT from the environment win over the file', () => {
    const config = parseConfig({ redis: { url: 'redis://file:6379' } }, 'certops.yaml', {
      REDIS_URL: 'redis://env:6380',
      PORT: '8080',
    });
    expect(config.redis.url).toBe('redis://env:6380');
    expect(config.server.port).toBe(8080);
  });

  it('serves health and metrics on their own port, bound to loopback unless configured', () => {
    expect(parseConfig({}, 'certops.yaml', {}).server).toEqual({
      port: 3000,
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
    });
    const fromFile = parseConfig({ server: { metricsPort: 9100, metricsHost: '0.0.0.0' } }, 'certops.yaml', {});
    expect(fromFile.server).toEqual({ port: 3000, metricsPort: 9100, metricsHost: '0.0.0.0' });
    const fromEnv = parseConfig({ server: { metricsPort: 9100 } }, 'certops.yaml', {
      METRICS_PORT: '9200',
      METRICS_HOST: '10.0.0.7',
    });
    expect(fromEnv.server).toMatchObject({ metricsPort: 9200, metricsHost: '10.0.0.7' });
  });

  it.each([
    ['in the file', { server: { port: 8080, metricsPort: 8080 } }, {}],
    ['through the environment', {}, { PORT: '9464' }],
  ])('refuses metrics on the port facing Slack (%s)', (_how, raw, env) => {
    expect(() => parseConfig(raw, 'certops.yaml', env)).toThrow('server.metricsPort: must differ from server.port');
  });

  it('refuses a METRICS_PORT that is not a port', () => {
    expect(() => parseConfig({}, 'certops.yaml', { METRICS_PORT: 'http' })).toThrow(
      'METRICS_PORT: expected a port number, got "http"',
    );
  });

  it.each([
    [
      'a missing field',
      { clusters: [{ ...validCluster, aks: { subscriptionId: 's', name: 'n' } }] },
      'certops.yaml: clusters[0].aks.resourceGroup: required',
    ],
    ['a field of the wrong type', { expiry: { warning: true } }, 'certops.yaml: expiry.warning:'],
    [
      'a bad duration',
      { expiry: { critical: '7 days' } },
      'certops.yaml: expiry.critical: expected a duration such as 90s, 15m, 12h, 30d or 2w, got "7 days"',
    ],
    [
      'an unknown key',
      { clusters: [{ ...validCluster, kubeconfg: '/x' }] },
      'certops.yaml: clusters[0]: unknown key "kubeconfg"',
    ],
    [
      'an unknown cluster in a role',
      { clusters: [validCluster], slack: { roles: { clusters: { staging: { approvers: ['U0123ABCD'] } } } } },
      'certops.yaml: slack.roles.clusters.staging: unknown cluster "staging" (configured clusters: prod)',
    ],
    [
      'a role member that is neither a user ID nor a group handle',
      { slack: { roles: { approvers: ['alice'] } } },
      'certops.yaml: slack.roles.approvers[0]: expected a Slack user ID',
    ],
    [
      'a cluster without a way to reach it',
      { clusters: [{ name: 'prod' }] },
      'certops.yaml: clusters[0].kubeconfig: required (or set inCluster: true)',
    ],
    [
      'a dangerous action lowered to one approval',
      { clusters: [{ ...validCluster, approvals: { 'aks-rotate-certs': 1 } }] },
      'certops.yaml: clusters[0].approvals.aks-rotate-certs: aks-rotate-certs needs at least 2 approvals',
    ],
    [
      'a duplicate cluster name',
      { clusters: [validCluster, validCluster] },
      'certops.yaml: clusters[1].name: duplicate cluster name "prod"',
    ],
    [
      'critical not shorter than warning',
      { expiry: { warning: '7d', critical: '30d' } },
      'certops.yaml: expiry.critical: critical must be shorter than warning',
    ],
  ])('rejects %s, naming the field', (_name, raw, expected) => {
    expect(() => parseConfig(raw, 'certops.yaml', {})).toThrow(ConfigError);
    expect(() => parseConfig(raw, 'certops.yaml', {})).toThrow(expected);
  });

  it('accepts a lowered dangerous action when single-person approval is explicitly allowed', () => {
    const config = parseConfig(
      { clusters: [{ ...validCluster, allowSinglePersonApproval: true, approvals: { 'aks-rotate-certs': 1 } }] },
      'certops.yaml',
      {},
    );
    expect(config.clusters[0]?.approvals['aks-rotate-certs']).toBe(1);
  });

  it('reports broken YAML with the line number', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'slack:\n  mode: socket\n  mode: http\n');
    await expect(loadConfig(path, {})).rejects.toThrow(/broken\.yaml:3: not valid YAML/);
  });

  it('fails for an explicit file that does not exist but not for a missing default', async () => {
    await expect(loadConfig(join(dir, 'nope.yaml'), {})).rejects.toThrow(
      /nope\.yaml: the configuration file is missing \(check the path\)$/,
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await expect(loadConfig(undefined, {})).resolves.toMatchObject({ config: { clusters: [] } });
      await expect(loadConfig(undefined, {}, { requireFile: true })).rejects.toThrow(
        /^\.\/certops\.yaml: the configuration file is missing \(write one/,
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads the path from CERTOPS_CONFIG', async () => {
    const path = join(dir, 'env.yaml');
    await writeFile(path, 'clusters:\n  - name: envcluster\n    inCluster: true\n');
    const { config } = await loadConfig(undefined, { CERTOPS_CONFIG: path });
    expect(config.clusters[0]?.name).toBe('envcluster');
  });
});
