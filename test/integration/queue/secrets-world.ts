import { KubeSim } from '../../../src/sandbox/kube';
import { createHarness, type Harness } from './harness';

/** A simulated cluster and the queue harness on it; filled in before the file's first test. */
export interface SecretsWorld {
  sim: KubeSim;
  h: Harness;
}

/**
 * The re-encryption tests' world for one test file: a cluster holding five secrets (so a job has pages of work and
 * progress to report) and a harness with its own key prefix, started before the tests and stopped after them.
 */
export function useSecretsWorld(name: string): SecretsWorld {
  const world = {} as SecretsWorld;
  beforeAll(async () => {
    world.sim = await KubeSim.start();
    for (let i = 0; i < 5; i++) {
      world.sim.store.secrets.create({
        metadata: { name: `s-${i}`, namespace: 'default' },
        type: 'Opaque',
        data: { v: Buffer.from(String(i)).toString('base64') },
      });
    }
    world.h = createHarness(name, world.sim);
  });
  afterAll(async () => {
    await world.h.close();
    await world.sim.stop();
  });
  return world;
}
