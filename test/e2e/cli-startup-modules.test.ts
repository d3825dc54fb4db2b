import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeKubeadmPki } from '../fixtures/kubeadm-pki';
import { CLI } from '../helpers/certops-process';

const PRELOAD = join(__dirname, '../fixtures/report-loaded-modules.js');

function loadedBy(args: string[]): string[] {
  const result = spawnSync(process.execPath, ['--require', PRELOAD, CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module report; stderr: ${result.stderr}`);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

describe('commands for cron and CI start light', () => {
  let pkiDir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const pki = await writeKubeadmPki();
    pkiDir = pki.pkiDir;
    cleanup = pki.cleanup;
  });
  afterAll(async () => {
    await cleanup();
  });

  it.each([
    { name: 'scan --pki-dir', args: () => ['scan', '--pki-dir', pkiDir, '--output', 'json'] },
    { name: 'check-config', args: () => ['check-config', '--config', 'certops.example.yaml'] },
    { name: '--help', args: () => ['--help'] },
  ])('$name loads no Slack, Redis, queue, Azure or Kubernetes SDK', ({ args }) => {
    expect(loadedBy(args())).toEqual([]);
  });

  it('the report would notice: start loads Bolt', () => {
    // start fails fast without Slack credentials, but only after loading the service code.
    expect(loadedBy(['start', '--config', 'certops.example.yaml'])).toEqual(expect.arrayContaining(['@slack/bolt']));
  });
});
