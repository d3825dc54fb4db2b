import type { App } from '@slack/bolt';
import type { Logger } from '../../../util/logger';
import { registerCertsCommand } from './certs-command';
import type { SubcommandTable } from './context';

export function register(app: App, handlers: SubcommandTable, logger: Logger): void {
  registerCertsCommand(app, handlers, logger);
}
