import { csrRuntimeFor } from '../../../csr/csr-runtime';
import type { CsrSummary } from '../../../csr/csr-summary';
import { reviewCsr } from '../../../csr/review-csr';
import type { BotContext } from '../../../service/bot-context';
import { UsageError, errorMessage } from '../../../util/errors';
import { csrListBlocks } from '../../blocks/csr-list';
import type { SubcommandHandler } from '../../commands/context';
import { mayRead } from '../../commands/read-rights';
import { requireCluster } from './requests';

const USAGE = '/certs csr [cluster]';

/** `/certs csr [cluster]`: pending CSRs with their verdicts, only to the person who asked. */
export function csrSubcommand(ctx: BotContext): SubcommandHandler {
  return async (sc) => {
    const { args, respond } = sc;
    const wanted = args[0];
    if (wanted !== undefined) requireCluster(ctx, wanted, USAGE);
    if (!(await mayRead(ctx, sc, wanted))) return;
    const runtime = csrRuntimeFor(ctx);
    if (wanted !== undefined && !runtime.clusters.has(wanted)) {
      requireCluster(ctx, wanted, USAGE);
      // Configured, yet left out of the CSR runtime at startup (see csr-runtime.ts clusterApis).
      throw new UsageError(`certops does not watch the CSRs of \`${wanted}\`: it has no Slack channel (clusters[].channel or slack.defaultChannel) or its kubeconfig did not load. certops' startup log says which.`);
    }
    const apis = [...runtime.clusters.values()].filter((api) => wanted === undefined || api.cluster.name === wanted);
    const sections = await Promise.all(
      apis.map(async (api) => {
        const cluster = api.cluster.name;
        try {
          const { items } = await api.source.list();
          const csrs: CsrSummary[] = [];
          for (const csr of items) {
            const summary = await reviewCsr(csr, { api, config: ctx.config });
            if (summary.state === 'pending') csrs.push(summary);
          }
          return { cluster, csrs };
        } catch (err) {
          return { cluster, csrs: [], error: errorMessage(err).slice(0, 200) };
        }
      }),
    );
    const total = sections.reduce((n, s) => n + s.csrs.length, 0);
    const blocks = csrListBlocks(sections);
    await respond({ response_type: 'ephemeral', text: `${total} pending CSR(s)`, blocks: blocks.length > 0 ? blocks : [{ type: 'section', text: { type: 'mrkdwn', text: 'No clusters configured.' } }] });
  };
}
