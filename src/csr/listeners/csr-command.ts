import type { CertopsConfig } from '../../config/schema';
import type { SubcommandHandler } from '../../slack/commands/context';
import { mayRead, type ReadRightsDeps } from '../../slack/commands/read-rights';
import { requireCluster } from '../../slack/commands/require-cluster';
import { UsageError, errorMessage } from '../../util/errors';
import { csrListBlocks } from '../blocks/csr-list';
import type { CsrLookup } from '../csr-lookup';
import { plural } from '../../util/plural';

const USAGE = '/certs csr [cluster]';

/** What `/certs csr` needs: who may read, which clusters are configured, and the CSRs of the watched ones. */
export interface CsrCommandDeps extends ReadRightsDeps {
  config: Pick<CertopsConfig, 'clusters'>;
  lookup: Pick<CsrLookup, 'watched' | 'pending'>;
}

/** `/certs csr [cluster]`: pending CSRs with their verdicts, only to the person who asked. */
export function csrCommand(deps: CsrCommandDeps): SubcommandHandler {
  return async (sc) => {
    const { args, respond } = sc;
    const wanted = args[0];
    if (wanted !== undefined) requireCluster(deps, wanted, USAGE);
    if (!(await mayRead(deps, sc, wanted))) return;
    const watched = deps.lookup.watched();
    if (wanted !== undefined && !watched.includes(wanted)) {
      // Configured, yet left out of the CSR runtime at startup (see csr-runtime.ts clusterApis).
      throw new UsageError(
        `certops does not watch the CSRs of \`${wanted}\`: it has no Slack channel (clusters[].channel or slack.defaultChannel) or its kubeconfig did not load. certops' startup log says which.`,
      );
    }
    const sections = await Promise.all(
      watched
        .filter((cluster) => wanted === undefined || cluster === wanted)
        .map(async (cluster) => {
          try {
            return { cluster, csrs: await deps.lookup.pending(cluster) };
          } catch (err) {
            return { cluster, csrs: [], error: errorMessage(err).slice(0, 200) };
          }
        }),
    );
    const total = sections.reduce((n, s) => n + s.csrs.length, 0);
    const blocks = csrListBlocks(sections);
    await respond({
      response_type: 'ephemeral',
      text: plural(total, 'pending CSR'),
      blocks:
        blocks.length > 0 ? blocks : [{ type: 'section', text: { type: 'mrkdwn', text: 'No clusters configured.' } }],
    });
  };
}
