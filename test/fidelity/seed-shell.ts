import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI } from '../helpers/certops-process';

/** What `certops sandbox` prints on its one line. */
export interface SandboxEndpoints {
  kubeconfig: string;
  armEndpoint: string;
  keyVaultUrl: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  controlUrl: string;
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

const AZ = '/usr/bin/az';
const KUBECTL = '/usr/bin/kubectl';

/**
 * Whether the suite can run here. CI installs azure-cli (scripts/ensure-azure-cli.sh), so there a missing az is a
 * failure; a developer machine without it skips the suite and says why.
 */
export function fidelityTools(): { run: boolean; missing: string[] } {
  const missing = [AZ, KUBECTL].filter((tool) => !existsSync(tool));
  if (missing.length > 0 && process.env.CI)
    throw new Error(`the fidelity suite needs ${missing.join(' and ')} in CI: run scripts/ensure-azure-cli.sh`);
  return { run: missing.length === 0, missing };
}

/**
 * A user's shell against the built `certops sandbox`: its own HOME (so ~/.kube/config is the one az writes) and its
 * own AZURE_CONFIG_DIR, trusting the sandbox's CA file; commands run through bash exactly as the documents write them.
 */
export class SeedShell {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: SandboxEndpoints,
    readonly home: string,
  ) {}

  static async start(): Promise<SeedShell> {
    const child = spawn(process.execPath, [CLI, 'sandbox'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const [first] = (await once(lines, 'line')) as [string];
    const home = await mkdtemp(join(tmpdir(), 'certops-fidelity-'));
    return new SeedShell(child, JSON.parse(first) as SandboxEndpoints, home);
  }

  /** The environment the commands see: the sandbox's values as the variables the documents use. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const e = this.endpoints;
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      AZURE_CONFIG_DIR: join(this.home, '.azure'),
      // Python's requests (az) and MSAL trust this bundle instead of the system's.
      REQUESTS_CA_BUNDLE: e.caFile,
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_NO_COLOR: 'true',
      ARM_ENDPOINT: e.armEndpoint,
      APP_ID: e.clientId,
      PASSWORD: e.clientSecret,
      TENANT_ID: e.tenantId,
      SUBSCRIPTION_ID: e.subscriptionId,
      ...extra,
    };
  }

  /** Runs one line of bash (pipes included) and returns what it printed. */
  sh(script: string, extra: Record<string, string> = {}): Ran {
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', script], {
      env: this.env(extra),
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs and insists on success, showing the command's stderr when it fails. */
  ok(script: string, extra: Record<string, string> = {}): string {
    const ran = this.sh(script, extra);
    if (ran.code !== 0) throw new Error(`\`${script}\` exited ${ran.code}:\n${ran.stderr}`);
    return ran.stdout;
  }

  /** The sandbox's record of which key version each secret of an API server is stored under. */
  async encryption(
    server: string,
  ): Promise<{ currentKeyVersion: string; secrets: Record<string, string>; stale: string[] }> {
    const res = await fetch(`${this.endpoints.controlUrl}/encryption?server=${encodeURIComponent(server)}`);
    if (!res.ok) throw new Error(`control endpoint answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { currentKeyVersion: string; secrets: Record<string, string>; stale: string[] };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    await rm(this.home, { recursive: true, force: true });
  }
}
