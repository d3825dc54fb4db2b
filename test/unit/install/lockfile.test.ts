import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const script = join(root, 'scripts/check-lockfile.js');

describe('package-lock.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'certops-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // `resolved` is left out when npm is set to omit registry addresses (this machine's npm is); integrity is what npm ci checks.
  it('has a full entry (version, integrity, os/cpu) for every optional platform package', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { version?: string; integrity?: string; resolved?: string; os?: string[]; cpu?: string[]; optional?: boolean }
      >;
    };
    const platform = Object.entries(lock.packages).filter(([, e]) => e.os ?? e.cpu);
    // Other platforms' native binaries of @swc/core and msgpackr must be in the file, not left out.
    expect(platform.map(([k]) => k)).toEqual(expect.arrayContaining(['node_modules/@swc/core-darwin-arm64']));
    for (const [key, entry] of platform) {
      expect({ key, version: Boolean(entry.version), integrity: Boolean(entry.integrity) }).toEqual({
        key,
        version: true,
        integrity: true,
      });
    }
  });

  it('check-lockfile accepts the committed lockfile', () => {
    expect(execFileSync('node', [script], { encoding: 'utf8' })).toMatch(/all with versions/);
  });

  it('check-lockfile refuses a version-less placeholder and says how to regenerate', () => {
    const file = join(dir, 'package-lock.json');
    writeFileSync(
      file,
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'x' },
          'node_modules/a': { version: '1.0.0' },
          'node_modules/@swc/core-darwin-arm64': { optional: true },
        },
      }),
    );
    const run = spawnSync('node', [script, file], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/@swc\/core-darwin-arm64.*npm install/);
  });

  it('package.json records a decision for every dependency install script', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(['@parcel/watcher', '@swc/core', 'msgpackr-extract']);
  });
});
