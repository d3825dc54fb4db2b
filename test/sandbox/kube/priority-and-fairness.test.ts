import https from 'node:https';
import type { KubeSim } from '../../../src/sandbox/kube';
import { RetryAfterTracker } from '../../../src/sandbox/kube/apf-retry-after';
import { listSeats } from '../../../src/sandbox/kube/apf';
import { startSim } from './helpers';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function put(sim: KubeSim, token: string, name: string): Promise<RawAnswer> {
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default' },
    data: { v: 'eA==' },
  });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.url}/api/v1/namespaces/default/secrets/${name}`,
      {
        method: 'PUT',
        ca: sim.caPem(),
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('kube-sim API Priority and Fairness', () => {
  let sim: KubeSim;
  const names = ['a', 'b', 'c', 'd', 'e'];

  beforeEach(async () => {
    sim = await startSim();
    for (const name of names)
      sim.store.secrets.create({ metadata: { name, namespace: 'default' }, type: 'Opaque', data: { v: 'eA==' } });
    sim.grant('system:serviceaccount:ops:certops', ['update'], ['secrets']);
  });
  afterEach(() => sim.stop());

  it('runs a level as many requests as it has seats, queues up to its queue length, and rejects the rest as kube-apiserver does', async () => {
    sim.apf.configure({
      levels: { 'workload-low': { seats: 1, queues: 1, handSize: 1, queueLengthLimit: 1 } },
      mutatingWorkMs: 300,
    });
    const { token } = sim.addUser('system:serviceaccount:ops:certops', ['system:serviceaccounts']);
    const answers = await Promise.all(names.map((name) => put(sim, token, name)));
    const codes = answers.map((a) => a.status).sort();
    // One executes, one waits in the only queue, three find the queue full.
    expect(codes).toEqual([200, 200, 429, 429, 429]);
    const rejected = answers.find((a) => a.status === 429);
    expect(rejected?.text).toBe('Too many requests, please try again later.\n');
    expect(rejected?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(rejected?.headers['retry-after']).toBe('1');
    for (const answer of answers) {
      expect(answer.headers['x-kubernetes-pf-flowschema-uid']).toBe(sim.apf.uids.get('flowschema/service-accounts'));
      expect(answer.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(sim.apf.uids.get('prioritylevel/workload-low'));
    }
    expect(sim.apf.snapshot().find((l) => l.name === 'workload-low')).toMatchObject({
      rejected: 3,
      dispatched: 2,
      executing: 0,
      waiting: 0,
    });
  });

  it('rejects a request that waited in its queue longer than the queue wait limit', async () => {
    sim.apf.configure({
      levels: { 'workload-low': { seats: 1, queues: 1, handSize: 1, queueLengthLimit: 10 } },
      mutatingWorkMs: 400,
      queueWaitMs: 100,
    });
    const { token } = sim.addUser('system:serviceaccount:ops:certops', ['system:serviceaccounts']);
    const answers = await Promise.all(['a', 'b'].map((name) => put(sim, token, name)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
  });

  it('never limits system:masters (the exempt flow schema)', async () => {
    sim.apf.configure({
      levels: { 'global-default': { seats: 1, queues: 1, handSize: 1, queueLengthLimit: 1 } },
      mutatingWorkMs: 100,
    });
    const { token } = sim.addUser('root', ['system:masters']);
    const answers = await Promise.all(names.map((name) => put(sim, token, name)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0]?.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(sim.apf.uids.get('prioritylevel/exempt'));
  });

  it('records every request with its answer and Retry-After in the timeline', async () => {
    sim.apf.configure({
      levels: { 'workload-low': { seats: 1, queues: 1, handSize: 1, queueLengthLimit: 1 } },
      mutatingWorkMs: 200,
    });
    const { token } = sim.addUser('system:serviceaccount:ops:certops', ['system:serviceaccounts']);
    sim.requests.start();
    await Promise.all(names.map((name) => put(sim, token, name)));
    const entries = sim.requests.entries();
    expect(entries).toHaveLength(5);
    expect(
      entries
        .filter((e) => e.status === 429)
        .every((e) => e.retryAfterSeconds === 1 && e.user === 'system:serviceaccount:ops:certops'),
    ).toBe(true);
    expect(entries.every((e) => e.method === 'PUT' && e.doneAt >= e.at)).toBe(true);
  });
});

describe('the Retry-After the API server suggests', () => {
  // [rejections in each second, starting at second 100] → Retry-After after the last one
  const cases: Array<[string, number[], number]> = [
    ['starts at 1 s', [1], 1],
    ['doubles once 3 × Retry-After were rejected in the last Retry-After seconds', [3, 1], 2],
    ['doubles again under sustained rejections, at most once per current value', [3, 6, 6, 6, 1], 4],
    ['never exceeds 32 s', Array.from({ length: 40 }, () => 200), 32],
    ['falls back by 1 s when fewer than Retry-After were rejected', [3, 1, 0, 0, 1], 1],
  ];
  it.each(cases)('%s', (_name, perSecond, expected) => {
    const tracker = new RetryAfterTracker();
    perSecond.forEach((count, i) => {
      for (let n = 0; n < count; n++) tracker.recordDropped((100 + i) * 1000 + n);
    });
    expect(tracker.get()).toBe(expected);
  });
});

describe('the work estimator', () => {
  it.each([
    [0, 1],
    [100, 1],
    [101, 2],
    [500, 5],
    [100_000, 10],
  ])('gives a list that may return %i objects %i seats', (objects, seats) => {
    expect(listSeats(objects)).toBe(seats);
  });
});
