import { memoryResumeState } from '../../../src/operations/resume-state';
import { kmsStepsDone, runKmsSteps, type KmsStep } from '../../../src/operations/kms/kms-steps';

const progress = { step: () => undefined, finish: () => undefined } as never;

function recordingSteps(log: string[], failAt?: string): KmsStep[] {
  return ['disable', 'reencrypt', 'vault', 'enable'].map((name) => ({
    name,
    run: () => {
      log.push(name);
      return name === failAt ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
    },
  }));
}

describe('KMS steps', () => {
  it('run in order and record each one done', async () => {
    const log: string[] = [];
    const resume = memoryResumeState();
    await runKmsSteps(recordingSteps(log), resume, { progress });
    expect(log).toEqual(['disable', 'reencrypt', 'vault', 'enable']);
    expect(kmsStepsDone(resume)).toBe(4);
  });

  it('after a failure, run again from the failed step and never repeat a finished one', async () => {
    const log: string[] = [];
    const resume = memoryResumeState();
    await expect(runKmsSteps(recordingSteps(log, 'vault'), resume, { progress })).rejects.toThrow('vault failed');
    await runKmsSteps(recordingSteps(log), resume, { progress });
    expect(log).toEqual(['disable', 'reencrypt', 'vault', 'vault', 'enable']);
  });

  it('stop between two steps when the boundary check throws, and not on re-entry into a started step', async () => {
    const log: string[] = [];
    const resume = memoryResumeState();
    let boundaries = 0;
    const stopAfterTwo = () => (++boundaries > 2 ? Promise.reject(new Error('stopped')) : Promise.resolve());
    await expect(runKmsSteps(recordingSteps(log), resume, { progress, atBoundary: stopAfterTwo })).rejects.toThrow(
      'stopped',
    );
    expect(log).toEqual(['disable', 'reencrypt']);
    expect(kmsStepsDone(resume)).toBe(2);

    // A step that left the worker (waiting for its child jobs) is re-entered without a boundary check.
    const reentry = memoryResumeState({ kmsStepsDone: '1', kmsStepStarted: '1' });
    const checks: number[] = [];
    await runKmsSteps(recordingSteps([]), reentry, {
      progress,
      atBoundary: () => {
        checks.push(kmsStepsDone(reentry));
        return Promise.resolve();
      },
    });
    expect(checks).toEqual([2, 3]);
  });
});
