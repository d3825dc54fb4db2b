import { LogLevel } from '@slack/web-api';
import type { Logger } from '@slack/web-api';

/** A Slack SDK logger that prints nothing: expected API errors would otherwise flood the test output. */
export function quietSlackLogger(): Logger {
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    setLevel: ignore,
    setName: ignore,
    getLevel: () => LogLevel.ERROR,
  };
}
