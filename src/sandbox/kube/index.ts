/**
 * kube-sim: an in-process Kubernetes API server for tests and the demo.
 *
 *   const sim = await KubeSim.start({ clock: () => fixedMs });
 *   const kc = new KubeConfig(); kc.loadFromString(sim.kubeconfig());   // or sim.writeKubeconfig(path) for kubectl
 *   ...
 *   await sim.stop();
 */
export { KubeSim, type KubeSimOptions, type KubeStore } from './kube-sim';
export type { KubeconfigOptions } from './kubeconfig';
export type { JobOutcome, JobScript } from './job-runner';
export type { ClientCredential } from './pki';
export type * from './types';
export type { ApfSettings, LevelSettings, LevelSnapshot } from './apf';
export type { RequestRecord } from './request-log';
