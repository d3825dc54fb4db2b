import pino from 'pino';
import type { Logger, LoggerOptions } from 'pino';
import { scrubSecrets } from './scrub';

export { scrubSecrets } from './scrub';

export type { Logger } from 'pino';

// Anything that can carry a credential, wherever it sits in a logged object.
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'clientSecret',
  '*.clientSecret',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'Authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'headers.cookie',
  '*.headers.cookie',
  'client-key-data',
  '*.client-key-data',
  '*.*.client-key-data',
  'client-certificate-data',
  '*.client-certificate-data',
  'keyData',
  '*.keyData',
  'privateKey',
  '*.privateKey',
  'kubeconfig',
  '*.kubeconfig',
  'data',
  '*.data',
  'stringData',
  '*.stringData',
];

export interface LoggerSettings {
  level?: string;
  destination?: pino.DestinationStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { app: 'certops' },
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log(object) {
        // Free-text fields are scrubbed too: an error message may quote a header or a URL.
        for (const key of ['msg', 'err', 'error']) {
          const value = object[key];
          if (typeof value === 'string') object[key] = scrubSecrets(value);
        }
        return object;
      },
    },
    serializers: {
      err: (err: unknown) => {
        const serialized = pino.stdSerializers.err(err as Error);
        if (serialized.message) serialized.message = scrubSecrets(serialized.message);
        if (serialized.stack) serialized.stack = scrubSecrets(serialized.stack);
        return serialized;
      },
    },
    hooks: {
      logMethod(args, method) {
        // pino formats the message string after formatters run, so scrub it here.
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** A logger that writes nothing, for tests and library callers that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
