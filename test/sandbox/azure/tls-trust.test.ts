import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AzureSim } from '../../../src/sandbox/azure/server';

const run = promisify(execFile);

describe('trusting the simulator’s CA', () => {
  let sim: AzureSim;
  let dir: string;
  beforeAll(async () => {
    sim = await AzureSim.start();
    dir = await mkdtemp(join(tmpdir(), 'azure-sim-'));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const probe = `require('https').get(process.argv[1], (res) => { console.log(res.statusCode); res.resume(); }).on('error', (e) => { console.log(e.code); });`;

  it('is trusted by a child process through NODE_EXTRA_CA_CERTS, and only then', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, sim.caPem);
    const target = `${sim.url}keys/any?api-version=7.5`;
    const trusted = await run(process.execPath, ['-e', probe, target], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    });
    expect(trusted.stdout.trim()).toBe('401');
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const untrusted = await run(process.execPath, ['-e', probe, target], { env });
    expect(untrusted.stdout.trim()).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
  });
});
