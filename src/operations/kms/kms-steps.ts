import type { ProgressReporter } from '../progress-reporter';
import type { ResumeState } from '../resume-state';

/** One checkpointed step of a KMS operation; `run` may leave the worker (waiting for child jobs) and be called again. */
export interface KmsStep {
  name: string;
  run(): Promise<void>;
}

export interface KmsStepOptions {
  progress: ProgressReporter;
  /** Called before each step starts (never on re-entry into a started one): throws to stop between two steps. */
  atBoundary?: () => Promise<void>;
}

const DONE_KEY = 'kmsStepsDone';
const STARTED_KEY = 'kmsStepStarted';

/**
 * Runs the steps in order, recording in the job's resume state how many are done, so a worker that takes the job over
 * after a crash starts at the first unfinished step and never repeats a finished one.
 */
export async function runKmsSteps(
  steps: readonly KmsStep[],
  resume: ResumeState,
  options: KmsStepOptions,
): Promise<void> {
  for (let index = Number(resume.get(DONE_KEY) ?? 0); index < steps.length; index++) {
    const step = steps[index] as KmsStep;
    if (resume.get(STARTED_KEY) !== String(index)) {
      await options.atBoundary?.();
      await resume.set(STARTED_KEY, String(index));
    }
    options.progress.step(step.name, index, steps.length);
    await step.run();
    await resume.set(DONE_KEY, String(index + 1));
  }
}

/** How many steps are done, for tests and summaries. */
export function kmsStepsDone(resume: ResumeState): number {
  return Number(resume.get(DONE_KEY) ?? 0);
}
