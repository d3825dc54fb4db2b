import type { BotContext } from '../../../service/bot-context';
import { auditCommand } from './audit';
import { cancelCommand } from './cancel';
import type { SubcommandTable } from '../../commands/context';
import { jobsCommand } from './jobs';
import { requestsCommand } from './requests';
import { rotateCommand } from './rotate';

/** The /certs subcommands; `help` and unknown words are answered by certs-command itself. */
export function subcommandTable(ctx: BotContext): SubcommandTable {
  return {
    rotate: rotateCommand(ctx),
    requests: requestsCommand(ctx),
    jobs: jobsCommand(ctx),
    cancel: cancelCommand(ctx),
    audit: auditCommand(ctx),
  };
}

