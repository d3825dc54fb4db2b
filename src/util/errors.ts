/** Bad usage or bad configuration: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A configuration problem; the message already names the file and the field. */
export class ConfigError extends UsageError {}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
