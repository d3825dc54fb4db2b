import { SerialQueue } from '../../../src/util/serial-queue';

/** A promise the test resolves or rejects by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('SerialQueue', () => {
  it('starts a task for a key only after the one queued before it has settled', async () => {
    const queue = new SerialQueue();
    const first = deferred();
    const started: string[] = [];
    const a = queue.run('C1', async () => {
      started.push('first');
      await first.promise;
    });
    const b = queue.run('C1', () => {
      started.push('second');
      return Promise.resolve();
    });
    await flushMicrotasks();
    expect(started).toEqual(['first']);
    first.resolve();
    await Promise.all([a, b]);
    expect(started).toEqual(['first', 'second']);
  });

  it('runs tasks of different keys side by side', async () => {
    const queue = new SerialQueue();
    const blocker = deferred();
    const started: string[] = [];
    const a = queue.run('C1', async () => {
      started.push('C1');
      await blocker.promise;
    });
    const b = queue.run('C2', () => {
      started.push('C2');
      return Promise.resolve();
    });
    await b;
    expect(started).toEqual(['C1', 'C2']);
    blocker.resolve();
    await a;
  });

  it('rejects only the caller of a failed task, and still runs the next one', async () => {
    const queue = new SerialQueue();
    const failing = queue.run('C1', () => Promise.reject(new Error('ratelimited')));
    const next = queue.run('C1', () => Promise.resolve('posted'));
    await expect(failing).rejects.toThrow('ratelimited');
    await expect(next).resolves.toBe('posted');
  });

  it('settles a waiter once everything queued for the key has run, even when it failed', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    const done: string[] = [];
    const failing = queue
      .run('C1', async () => {
        await gate.promise;
        throw new Error('boom');
      })
      .catch(() => done.push('failed'));
    const waiter = queue.settled('C1').then(() => done.push('settled'));
    gate.resolve();
    await Promise.all([failing, waiter]);
    expect(done).toEqual(['failed', 'settled']);
  });

  it('forgets a key once its work is done', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    const running = queue.run('C1', () => gate.promise);
    expect(queue.size).toBe(1);
    gate.resolve();
    await running;
    await flushMicrotasks();
    expect(queue.size).toBe(0);
  });

  it('is idle only after tasks queued while it waited have run too', async () => {
    const queue = new SerialQueue();
    const ran: string[] = [];
    const gate = deferred();
    void queue.run('C1', async () => {
      await gate.promise;
      ran.push('first');
      void queue.run('C2', () => {
        ran.push('queued while waiting');
        return Promise.resolve();
      });
    });
    const idle = queue.idle();
    gate.resolve();
    await idle;
    expect(ran).toEqual(['first', 'queued while waiting']);
    expect(queue.size).toBe(0);
  });
});
