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
    set: async (key, value) => {
      values[key] = value;
    },
  };
}
