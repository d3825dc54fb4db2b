import { WritePacer, type PacerClock } from '../../../src/operations/write-pacer';

/** A clock that only moves when someone sleeps on it. */
function manualClock(): PacerClock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

class Throttled extends Error {
  constructor(readonly retryAfterMs: number) {
    super('429');
  }
}
const retryAfterOf = (err: unknown) => (err instanceof Throttled ? err.retryAfterMs : undefined);

describe('the write pacer', () => {
  it('sends a refused call again after its Retry-After and halves the calls in flight', async () => {
    const clock = manualClock();
    const pacer = new WritePacer({ maxInFlight: 8, clock });
    let calls = 0;
    const result = await pacer.call(
      () => (++calls === 1 ? Promise.reject(new Throttled(2000)) : Promise.resolve('written')),
      true,
      retryAfterOf,
    );
    expect(result).toBe('written');
    expect(calls).toBe(2);
    expect(clock.slept).toEqual([2000]);
    expect(pacer.state()).toMatchObject({ inFlightLimit: 4, throttled: 1 });
  });

  it('halves once for the 429s of one pause, then grows back by one per window of successes', async () => {
    const clock = manualClock();
    const pacer = new WritePacer({ maxInFlight: 8, clock });
    let refusals = 3;
    const call = () =>
      pacer.call(() => (refusals-- > 0 ? Promise.reject(new Throttled(1000)) : Promise.resolve()), true, retryAfterOf);
    await Promise.all([call(), call(), call()]);
    expect(pacer.state().inFlightLimit).toBe(4);
    for (let i = 0; i < 4; i++) await call();
    expect(pacer.state().inFlightLimit).toBe(5);
  });

  it('passes errors other than 429 through at once', async () => {
    const pacer = new WritePacer({ maxInFlight: 2, clock: manualClock() });
    await expect(pacer.call(() => Promise.reject(new Error('409 conflict')), true, retryAfterOf)).rejects.toThrow(
      '409 conflict',
    );
  });

  it('cuts a Retry-After to 60 s', async () => {
    const clock = manualClock();
    const pacer = new WritePacer({ maxInFlight: 2, clock });
    let calls = 0;
    await pacer.call(
      () => (++calls === 1 ? Promise.reject(new Throttled(600_000)) : Promise.resolve()),
      true,
      retryAfterOf,
    );
    expect(clock.slept).toEqual([60_000]);
  });

  it('waits for a token of the shared rate cap before each write, none before reads', async () => {
    const clock = manualClock();
    const grants = [
      { granted: 0, waitMs: 250 },
      { granted: 2, waitMs: 0 },
    ];
    let asked = 0;
    const pacer = new WritePacer({
      maxInFlight: 2,
      clock,
      tokens: { acquire: () => Promise.resolve(grants[Math.min(asked++, 1)] ?? { granted: 1, waitMs: 0 }) },
    });
    await pacer.call(() => Promise.resolve('read'), false, retryAfterOf);
    expect(asked).toBe(0);
    await pacer.call(() => Promise.resolve('write'), true, retryAfterOf);
    await pacer.call(() => Promise.resolve('write'), true, retryAfterOf);
    expect(asked).toBe(2);
    expect(clock.slept).toEqual([250]);
  });
});
