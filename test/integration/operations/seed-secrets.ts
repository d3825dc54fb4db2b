import type { KubeSim } from '../../../src/sandbox/kube';

/** `perNamespace` Opaque secrets s-0000… in each namespace (created too); returns how many in all. */
export function seedSecrets(sim: KubeSim, namespaces: readonly string[], perNamespace: number): number {
  for (const namespace of namespaces) {
    sim.store.namespaces.create({ metadata: { name: namespace } });
    for (let i = 0; i < perNamespace; i++) {
      const name = `s-${String(i).padStart(4, '0')}`;
      sim.store.secrets.create({
        metadata: { name, namespace },
        type: 'Opaque',
        data: { v: Buffer.from(name).toString('base64') },
      });
    }
  }
  return namespaces.length * perNamespace;
}
