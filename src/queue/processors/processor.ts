import type { ResumeState } from '../../operations/resume-state';
import type { JobContext } from '../job-context';

export interface OperationOutcome {
  summary: string;
  result: unknown;
}

/** Runs one approved request's operation; may throw WaitingChildrenError to wait for its child jobs. */
export type OperationProcessor = (ctx: JobContext, resume: ResumeState) => Promise<OperationOutcome>;
