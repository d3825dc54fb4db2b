import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/certops-process';

function certops(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'certops-cli-'));
function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('the certops command line', () => {
  it('prints its version and help', () => {
    expect(certops(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = certops(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['start', 'scan', 'csr', 'check-config', 'sandbox', 'demo'])
      expect(help.stdout).toContain(command);
  });

  it('answers an unknown command or option with one line and exit 2', () => {
    expectOneLineError(certops(['rotate-everything']), /^certops: unknown command 'rotate-everything'/);
    expectOneLineError(certops(['scan', '--frobnicate']), /^certops: unknown option '--frobnicate'/);
    expectOneLineError(
      certops(['start', '--role', 'boss']),
      /^certops: option '--role <role>' argument 'boss' is invalid/,
    );
  });

  it('check-config prints what it understood of the example', () => {
    const result = certops(['check-config', '--config', 'certops.example.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('slack: socket mode');
    expect(result.stdout).toContain('prod-aks [aks+kms]');
    expect(result.stdout).toContain('prod-kubeadm [kubeadm]: in-cluster');
    expect(result.stdout).toContain('aks-rotate-certs 3');
    expect(result.stdout).toContain('expiry: warning under 30d, critical under 7d, scan every 6h');
  });

  it('check-config --output json is machine-readable', () => {
    const result = certops(['check-config', '--config', 'certops.example.yaml', '--output', 'json']);
    const parsed = JSON.parse(result.stdout) as {
      clusters: Array<{ name: string; approvals: Record<string, number> }>;
    };
    expect(parsed.clusters[0]).toMatchObject({
      name: 'prod-aks',
      approvals: { 'aks-rotate-certs': 3, 'kms-rotate-key': 2 },
    });
  });

  it.each([
    [
      'a missing field',
      'clusters:\n  - name: prod\n    kubeconfig: /k\n    aks: {subscriptionId: s, name: n}\n',
      /^certops: bad\.yaml: clusters\[0\]\.aks\.resourceGroup: required/,
    ],
    ['a wrong type', 'expiry:\n  warning: [30d]\n', /^certops: bad\.yaml: expiry\.warning: /],
    [
      'an unknown cluster in a role',
      'slack:\n  roles:\n    clusters:\n      nope: {approvers: [U0123ABCD]}\n',
      /^certops: bad\.yaml: slack\.roles\.clusters\.nope: unknown cluster "nope"/,
    ],
    ['a bad duration', 'expiry:\n  critical: soon\n', /^certops: bad\.yaml: expiry\.critical: expected a duration/],
    ['an unknown key', 'slak:\n  mode: http\n', /^certops: bad\.yaml: \(top level\): unknown key "slak"/],
  ])('check-config rejects %s with one line and exit 2', (_what, text, pattern) => {
    expectOneLineError(certops(['check-config', '--config', configFile('bad.yaml', text)]), pattern);
  });

  it('check-config says the configuration file is missing, whether default, from --config or from CERTOPS_CONFIG', () => {
    const empty = mkdtempSync(join(tmpdir(), 'certops-noconfig-'));
    const inEmpty = (args: string[], env: Record<string, string> = {}) => {
      const result = spawnSync(process.execPath, [CLI, ...args], {
        cwd: empty,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const byDefault = inEmpty(['check-config']);
    expectOneLineError(
      byDefault,
      /^certops: \.\/certops\.yaml: the configuration file is missing \(write one \(certops\.example\.yaml shows every setting\) or give --config FILE\)$/,
    );
    expect(byDefault.stdout).toBe('');
    expectOneLineError(
      inEmpty(['check-config', '--config', 'absent.yaml']),
      /^certops: absent\.yaml: the configuration file is missing \(check the path\)$/,
    );
    expectOneLineError(
      inEmpty(['check-config'], { CERTOPS_CONFIG: 'from-env.yaml' }),
      /^certops: from-env\.yaml: the configuration file is missing/,
    );
    expectOneLineError(
      inEmpty(['check-config', '--config', '.']),
      /^certops: \.: cannot read the configuration: a folder, not a file$/,
    );
  });

  it('demo on a busy port says so in one line, exits 2, and leaves no folder behind', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    const tmp = mkdtempSync(join(tmpdir(), 'certops-demo-tmp-'));
    try {
      const result = certops(['demo', '--port', String(port)], {
        TMPDIR: tmp,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      });
      expectOneLineError(
        result,
        new RegExp(
          `^certops: --port ${port}: 127\\.0\\.0\\.1:${port} is already in use \\(another certops demo\\?\\); stop what listens there or choose another port with --port$`,
        ),
      );
      expect(result.stdout).toBe('');
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      busy.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('start refuses to run without Slack credentials, naming the variable and not printing any secret', () => {
    const config = configFile('ok.yaml', 'slack: {mode: http}\n');
    const result = certops(['start', '--config', config], {
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      SLACK_BOT_TOKEN: 'xoxb-secret-value',
    });
    expectOneLineError(result, /SLACK_SIGNING_SECRET is not set/);
    expect(result.stderr).not.toContain('xoxb-secret-value');
  });

  it('start names REDIS_URL when Redis does not answer', () => {
    const config = configFile('ok2.yaml', 'slack: {mode: http}\n');
    const result = certops(['start', '--config', config], {
      REDIS_URL: 'redis://127.0.0.1:1',
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 's',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/REDIS_URL/);
  });
});
