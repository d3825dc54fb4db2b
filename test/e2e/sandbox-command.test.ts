import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ClientSecretCredential } from '@azure/identity';
import { KeyClient } from '@azure/keyvault-keys';
import { WebClient } from '@slack/web-api';
import { httpsAgentWithLocalhostNames } from '../../src/clusters/localhost-names';
import { CLI } from '../helpers/certops-process';

const KUBECTL = '/usr/bin/kubectl';

interface Endpoints {
  kubeconfig: string;
  slackApiUrl: string;
  slackBotToken: string;
  armEndpoint: string;
  keyVaultUrl: string;
  authorityHost: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
}

describe('certops sandbox', () => {
  let child: ChildProcess;
  let endpoints: Endpoints;

  beforeAll(async () => {
    child = spawn(process.execPath, [CLI, 'sandbox'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const [first] = (await once(lines, 'line')) as [string];
    endpoints = JSON.parse(first) as Endpoints;
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('prints one JSON line naming every endpoint and credential', () => {
    for (const key of [
      'kubeconfig',
      'slackApiUrl',
      'armEndpoint',
      'keyVaultUrl',
      'authorityHost',
      'caFile',
      'tenantId',
      'clientId',
      'clientSecret',
      'subscriptionId',
    ]) {
      expect(endpoints).toHaveProperty(key);
    }
    expect(existsSync(endpoints.kubeconfig)).toBe(true);
    expect(readFileSync(endpoints.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  (existsSync(KUBECTL) ? it : it.skip)(
    'serves kubectl with the kubeconfig it wrote (skipped where kubectl is absent)',
    () => {
      const result = spawnSync(KUBECTL, ['--kubeconfig', endpoints.kubeconfig, 'get', 'namespaces', '-o', 'name'], {
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('namespace/default');
    },
  );

  it('serves the Slack Web API to the real WebClient', async () => {
    const client = new WebClient(endpoints.slackBotToken, { slackApiUrl: endpoints.slackApiUrl });
    const auth = await client.auth.test();
    expect(auth.ok).toBe(true);
  });

  it('serves Key Vault to the real Azure SDK with the service principal it printed, trusting its CA file', async () => {
    const ca = readFileSync(endpoints.caFile, 'utf8');
    const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
      authorityHost: endpoints.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    });
    // Default challenge verification: the vault's name (`….vault.localhost`) matches its challenge's resource.
    const keys = new KeyClient(endpoints.keyVaultUrl, credential, { agent: httpsAgentWithLocalhostNames({ ca }) });
    const key = await keys.createKey('sandbox-check', 'RSA');
    expect(key.id).toContain('/keys/sandbox-check/');
  });

  it('stops on SIGTERM and removes the files it wrote', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(existsSync(endpoints.kubeconfig)).toBe(false);
    expect(existsSync(endpoints.caFile)).toBe(false);
  });
});
