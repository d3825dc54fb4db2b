import type { z } from 'zod';

/**
 * Small durable values an operation keeps across a crash of its worker (the queue stores them in the job's data),
 * such as a serialized ARM poller or the nodes already renewed.
 */
export interface ResumeState {
  get(key: string): string | undefined;
  set(key: string, value: string): Promise<void>;
}

/** An in-memory ResumeState, for callers that do not need to resume. */
export function memoryResumeState(initial: Record<string, string> = {}): ResumeState {
  const values = { ...initial };
  return {
    get: (key) => values[key],
    set: (key, value) => {
      values[key] = value;
      return Promise.resolve();
    },
  };
}

/**
 * A JSON value an earlier run stored under `key`, checked against `schema`; undefined when nothing is stored.
 * A stored value of another shape (written by another version, or damaged) stops the job with a message saying so.
 */
export function readResumeJson<T>(resume: ResumeState, key: string, schema: z.ZodType<T>): T | undefined {
  const text = resume.get(key);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the saved progress "${key}" is not JSON; cancel the job and request the operation again`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the saved progress "${key}" is not what this version writes (${issue?.path.join('.') || 'value'}: ${issue?.message}); cancel the job and request the operation again`,
    );
  }
  return parsed.data;
}
