import { CertificatesV1Api, Watch } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { csrManifest, kubeConfigFor, startSim } from './helpers';

const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  code?: number;
  reason?: string;
}

/** Runs a watch until the server ends it (or `stopWhen` says so) and returns what arrived. */
function collect(
  sim: KubeSim,
  query: Record<string, string | number | boolean | undefined>,
  stopWhen: (seen: Seen[]) => boolean = () => false,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      controller?.abort();
      resolve(seen);
    };
    new Watch(kubeConfigFor(sim))
      .watch(
        CSR_PATH,
        query,
        (type, obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string }) => {
          seen.push({
            type,
            name: obj.metadata?.name,
            rv: obj.metadata?.resourceVersion,
            code: obj.code,
            reason: obj.reason,
          });
          if (stopWhen(seen)) finish();
        },
        () => finish(),
      )
      .then((c) => {
        controller = c;
        if (finished) c.abort();
      }, reject);
  });
}

/** Waits (bounded) until the server has registered the expected number of watch streams. */
async function untilWatching(sim: KubeSim, count: number): Promise<void> {
  for (let i = 0; i < 500 && sim.openWatches() !== count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(sim.openWatches()).toBe(count);
}

describe('kube-sim watch', () => {
  let sim: KubeSim;
  let api: CertificatesV1Api;

  beforeEach(async () => {
    sim = await startSim({ historyLimit: 5 });
    api = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
  });
  afterEach(() => sim.stop());

  const create = async (name: string) =>
    api.createCertificateSigningRequest({
      body: await csrManifest({
        name,
        subject: { commonName: name },
        signerName: 'example.com/custom',
        usages: ['client auth'],
      }),
    });

  it('resumes from a resourceVersion with only the later events, then a BOOKMARK', async () => {
    const first = await create('one');
    await create('two');
    await api.deleteCertificateSigningRequest({ name: 'one' });
    const seen = await collect(
      sim,
      { resourceVersion: first.metadata?.resourceVersion, allowWatchBookmarks: true },
      (s) => s.some((e) => e.type === 'BOOKMARK'),
    );
    expect(seen.map((e) => `${e.type}:${e.name ?? ''}`)).toEqual(['ADDED:two', 'DELETED:one', 'BOOKMARK:']);
    expect(Number(seen[2]?.rv)).toBe(sim.store.revision());
  });

  it('starts with the current objects as ADDED when no resourceVersion is given, then streams changes', async () => {
    await create('existing');
    const watching = collect(sim, {}, (s) => s.length === 2);
    await untilWatching(sim, 1);
    await create('later');
    expect((await watching).map((e) => `${e.type}:${e.name}`)).toEqual(['ADDED:existing', 'ADDED:later']);
  });

  it('sends a 410 Expired ERROR event and ends the stream when the resourceVersion is too old', async () => {
    const first = await create('a');
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) await create(name);
    const seen = await collect(sim, { resourceVersion: first.metadata?.resourceVersion });
    expect(seen).toEqual([expect.objectContaining({ type: 'ERROR', code: 410, reason: 'Expired' })]);
  });

  it('closes the stream after timeoutSeconds', async () => {
    const seen = await collect(sim, { timeoutSeconds: 1 });
    expect(seen).toEqual([]);
    expect(sim.openWatches()).toBe(0);
  });

  it('cuts open streams when faults.dropWatches() is called', async () => {
    const watching = collect(sim, {});
    await untilWatching(sim, 1);
    sim.faults.dropWatches();
    await watching;
    expect(sim.openWatches()).toBe(0);
  });
});
