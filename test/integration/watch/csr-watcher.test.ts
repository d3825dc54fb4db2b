import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { KubeSim } from '../../../src/sandbox/kube';
import { silentLogger } from '../../../src/util/logger';
import { kubeCsrWatchSource } from '../../../src/watch/csr-watch-source';
import { CsrWatcher, type CsrWatchHandler } from '../../../src/watch/csr-watcher';
import { createClientCsr, csrApi, simKubeConfig, until } from './helpers';

/** Records what the watcher handed over. */
class Recorder implements CsrWatchHandler {
  lists: string[][] = [];
  events: string[] = [];
  synced(csrs: V1CertificateSigningRequest[]): Promise<void> {
    this.lists.push(csrs.map((c) => c.metadata?.name ?? '').sort());
    return Promise.resolve();
  }
  changed(type: string, csr: V1CertificateSigningRequest): Promise<void> {
    this.events.push(`${type}:${csr.metadata?.name}`);
    return Promise.resolve();
  }
}

describe('CSR watcher against kube-sim', () => {
  let kube: KubeSim;
  let watcher: CsrWatcher | undefined;
  const sleeps: number[] = [];
  const recordSleep = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };

  beforeEach(async () => {
    kube = await KubeSim.start({ historyLimit: 50 });
    sleeps.length = 0;
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    await kube.stop();
  });

  function start(recorder: Recorder, pageSize = 2, sleep: (ms: number) => Promise<void> = recordSleep): CsrWatcher {
    watcher = new CsrWatcher({
      source: kubeCsrWatchSource(simKubeConfig(kube), pageSize),
      handler: recorder,
      logger: silentLogger(),
      backoffMs: (attempt) => attempt * 1000,
      // No real waiting: the watcher's pauses are recorded and return at once.
      sleep,
    });
    watcher.start();
    return watcher;
  }

  it('lists every CSR over several pages, then streams later changes from the list resourceVersion', async () => {
    const api = csrApi(kube);
    for (const name of ['a', 'b', 'c']) await createClientCsr(api, name);
    const recorder = new Recorder();
    start(recorder);
    await until(() => kube.openWatches() === 1);
    await createClientCsr(api, 'd');
    await until(() => recorder.events.length === 1);
    expect(recorder.lists).toEqual([['a', 'b', 'c']]);
    expect(recorder.events).toEqual(['ADDED:d']);
  });

  it('resumes from the last resourceVersion after a dropped stream: nothing missed, nothing repeated, no relist', async () => {
    const api = csrApi(kube);
    const recorder = new Recorder();
    const w = start(recorder);
    await until(() => kube.openWatches() === 1);
    await createClientCsr(api, 'before-drop');
    await until(() => recorder.events.length === 1);
    kube.faults.dropWatches();
    await createClientCsr(api, 'during-drop');
    await until(() => recorder.events.length === 2);
    await createClientCsr(api, 'after-drop');
    await until(() => recorder.events.length === 3);
    expect(recorder.events).toEqual(['ADDED:before-drop', 'ADDED:during-drop', 'ADDED:after-drop']);
    expect(w.lists).toBe(1);
  });

  it('relists when its resourceVersion is too old (410 Gone as an ERROR event)', async () => {
    const api = csrApi(kube);
    const recorder = new Recorder();
    let reopen: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (reopen = resolve));
    const w = start(recorder, 2, () => paused);
    await until(() => kube.openWatches() === 1);
    await createClientCsr(api, 'seen');
    await until(() => recorder.events.length === 1);
    // The resumed watch fails once, and the watcher pauses; meanwhile a CSR arrives and history is compacted.
    kube.faults.failNext(1, /watch=true/, 500);
    kube.faults.dropWatches();
    await until(() => kube.openWatches() === 0);
    await createClientCsr(api, 'while-away');
    kube.store.compact();
    reopen();
    await until(() => w.lists === 2);
    expect(w.lists).toBe(2);
    expect(recorder.lists.at(-1)).toEqual(['seen', 'while-away']);
  });

  it('backs off on API errors and recovers when the API answers again', async () => {
    const api = csrApi(kube);
    await createClientCsr(api, 'x');
    kube.faults.failNext(3, /certificatesigningrequests/, 500);
    const recorder = new Recorder();
    start(recorder);
    await until(() => recorder.lists.length === 1);
    expect(recorder.lists).toEqual([['x']]);
    expect(sleeps).toEqual([1000, 2000, 3000]);
  });
});
