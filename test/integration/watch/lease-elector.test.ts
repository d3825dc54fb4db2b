import { CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { LeaseElector, type LeaseApi } from '../../../src/clusters/lease-elector';
import { configSchema } from '../../../src/config/schema';
import { KubeSim } from '../../../src/sandbox/kube';
import { chooseLeaderElection } from '../../../src/service/leader-election';
import { silentLogger } from '../../../src/util/logger';
import { simKubeConfig } from './helpers';

const NAMESPACE = 'default';
const LEASE = 'certops-leader';
const DURATION_S = 15;

describe('Lease leader election against kube-sim', () => {
  let kube: KubeSim;
  let api: CoordinationV1Api;
  let clockMs: number;
  const electors: LeaseElector[] = [];
  const events: string[] = [];

  beforeEach(async () => {
    kube = await KubeSim.start();
    api = simKubeConfig(kube).makeApiClient(CoordinationV1Api);
    clockMs = Date.parse('2030-01-01T00:00:00Z');
    events.length = 0;
  });
  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
    await kube.stop();
  });

  function elector(identity: string, leaseApi: LeaseApi = api): LeaseElector {
    const e = new LeaseElector(leaseApi, {
      namespace: NAMESPACE,
      name: LEASE,
      identity,
      logger: silentLogger(),
      leaseDurationSeconds: DURATION_S,
      now: () => new Date(clockMs),
      onAcquired: () => events.push(`${identity} acquired`),
      onLost: () => events.push(`${identity} lost`),
    });
    electors.push(e);
    return e;
  }

  const lease = (): Promise<V1Lease> => api.readNamespacedLease({ name: LEASE, namespace: NAMESPACE });
  const advance = (seconds: number) => (clockMs += seconds * 1000);
  const ms = (value: unknown) => new Date(value as string | Date).getTime();

  it('lets exactly one of two replicas lead, and records it in the Lease', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick();
    await b.tick();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(events).toEqual(['pod-a acquired']);
    const spec = (await lease()).spec;
    expect(spec?.holderIdentity).toBe('pod-a');
    expect(spec?.leaseDurationSeconds).toBe(DURATION_S);
    expect(spec?.leaseTransitions).toBe(0);
    expect(ms(spec?.acquireTime)).toBe(clockMs);
    expect(ms(spec?.renewTime)).toBe(clockMs);
  });

  it('keeps a leader that renews: the other replica never takes over a renewed Lease', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick();
    const acquiredAt = clockMs;
    for (let i = 0; i < 4; i++) {
      advance(10);
      await a.tick();
      await b.tick();
    }
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    const spec = (await lease()).spec;
    expect(ms(spec?.renewTime)).toBe(clockMs);
    expect(ms(spec?.acquireTime)).toBe(acquiredAt);
    expect(events).toEqual(['pod-a acquired']);
  });

  it('takes over only once renewTime + leaseDurationSeconds has passed; the old leader then steps down', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick();
    advance(DURATION_S - 1);
    await b.tick();
    expect(b.isLeader).toBe(false);
    advance(1);
    await b.tick();
    expect(b.isLeader).toBe(true);
    const spec = (await lease()).spec;
    expect(spec?.holderIdentity).toBe('pod-b');
    expect(spec?.leaseTransitions).toBe(1);
    expect(ms(spec?.acquireTime)).toBe(clockMs);

    // The old leader wakes up (a long pause) and finds the Lease in other hands.
    await a.tick();
    expect(a.isLeader).toBe(false);
    expect(events).toEqual(['pod-a acquired', 'pod-b acquired', 'pod-a lost']);
  });

  it('answers a racing replica 409: of two claims on an expired Lease only one wins', async () => {
    const a = elector('pod-a');
    const c = elector('pod-c');
    // pod-b's read returns, then pod-c claims the Lease, then pod-b writes with the stale resourceVersion.
    const slowReader: LeaseApi = {
      readNamespacedLease: async (param) => {
        const seen = await api.readNamespacedLease(param);
        await c.tick();
        return seen;
      },
      createNamespacedLease: (param) => api.createNamespacedLease(param),
      replaceNamespacedLease: (param) => api.replaceNamespacedLease(param),
    };
    const b = elector('pod-b', slowReader);
    await a.tick();
    advance(DURATION_S);
    await b.tick();
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, true]);
    expect((await lease()).spec?.holderIdentity).toBe('pod-c');
    await a.tick();
    expect(a.isLeader).toBe(false);
  });

  it('answers a racing replica 409 when two create the Lease at once', async () => {
    const c = elector('pod-c');
    const slowReader: LeaseApi = {
      readNamespacedLease: async (param) => {
        try {
          return await api.readNamespacedLease(param);
        } finally {
          await c.tick();
        }
      },
      createNamespacedLease: (param) => api.createNamespacedLease(param),
      replaceNamespacedLease: (param) => api.replaceNamespacedLease(param),
    };
    const b = elector('pod-b', slowReader);
    await b.tick();
    expect([b.isLeader, c.isLeader]).toEqual([false, true]);
    expect(events).toEqual(['pod-c acquired']);
  });

  it('hands over at once on stop: holderIdentity is cleared and the next replica need not wait for expiry', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick();
    await a.stop();
    expect(a.isLeader).toBe(false);
    expect((await lease()).spec?.holderIdentity).toBeUndefined();
    advance(1);
    await b.tick();
    expect(b.isLeader).toBe(true);
    expect((await lease()).spec?.leaseTransitions).toBe(1);
  });

  it('survives failed renewals until the renew deadline, then steps down', async () => {
    const a = elector('pod-a');
    await a.tick();
    kube.faults.failNext(100, /leases\/certops-leader/, 500, 'PUT');
    advance(5);
    await a.tick();
    expect(a.isLeader).toBe(true);
    advance(5);
    await a.tick();
    expect(a.isLeader).toBe(false);
    expect(events).toEqual(['pod-a acquired', 'pod-a lost']);
  });
});

describe('choosing the leader election', () => {
  const config = (leaderElection: unknown) => configSchema.parse({ leaderElection }).leaderElection;
  const noFile = () => {
    throw new Error('ENOENT');
  };

  it('uses a Lease in the pod namespace, named for the pod, when certops runs in a cluster', () => {
    const choice = chooseLeaderElection(config(undefined), {
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAMESPACE: 'certops', POD_NAME: 'certops-bot-7f9' },
      suffix: 'x1',
      readFile: noFile,
    });
    expect(choice).toEqual({
      kind: 'lease',
      namespace: 'certops',
      leaseName: 'certops-leader',
      identity: 'certops-bot-7f9_x1',
    });
  });

  it('uses the Redis lock outside a cluster, and when told to', () => {
    expect(chooseLeaderElection(config({ mode: 'auto' }), { env: {} })).toEqual({ kind: 'redis' });
    expect(chooseLeaderElection(config({ mode: 'redis' }), { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } })).toEqual({
      kind: 'redis',
    });
  });

  it('takes the namespace from the config, else POD_NAMESPACE, else the service account file', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAMESPACE: 'from-env' };
    expect(
      chooseLeaderElection(config({ mode: 'lease', namespace: 'ops', leaseName: 'l' }), { env, readFile: noFile }),
    ).toMatchObject({ namespace: 'ops', leaseName: 'l' });
    expect(chooseLeaderElection(config({}), { env, readFile: noFile })).toMatchObject({ namespace: 'from-env' });
    expect(
      chooseLeaderElection(config({}), { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, readFile: () => 'sa-ns\n' }),
    ).toMatchObject({ namespace: 'sa-ns' });
  });

  it('refuses an unknown mode in the configuration', () => {
    expect(() => config({ mode: 'zookeeper' })).toThrow();
  });
});
