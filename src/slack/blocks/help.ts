import type { KnownBlock } from '@slack/types';
import type { ClusterConfig } from '../../config/schema';
import { EXAMPLE_REQUEST_ID } from '../../core/approvals/request-id-shape';
import { commandParamsUsage, isDangerous, requestableOperations } from '../../core/operations';
import { clipMrkdwn as clip, code, codeList } from '../escape';
import { SLASH_COMMAND } from '../ids';
import { SUBCOMMANDS, type HelpExamples } from '../commands/subcommands';

type HelpCluster = Pick<ClusterConfig, 'name' | 'aks' | 'kms' | 'kubeadm' | 'access'>;

/** Examples made of this installation's names: the first cluster that supports each thing. */
export function helpExamples(clusters: readonly HelpCluster[]): HelpExamples {
  const cluster = clusters[0]?.name ?? 'CLUSTER';
  const rotatable = clusters.map((c) => ({ cluster: c.name, operations: requestableOperations(c) }));
  // A rotation example shows a real rotation where there is one (not the re-encryption every cluster offers).
  const rotation =
    rotatable.find((c) => c.operations.some(isDangerous)) ?? rotatable.find((c) => c.operations.length > 0);
  const operation = rotation?.operations.find(isDangerous) ?? rotation?.operations[0];
  const withAccess = clusters.find((c) => (c.access?.levels.length ?? 0) > 0);
  const level = withAccess?.access?.levels[0]?.name;
  return {
    cluster,
    rotate: rotation && operation ? { cluster: rotation.cluster, operation } : { cluster, operation: 'OPERATION' },
    ...(withAccess && level ? { access: { cluster: withAccess.name, level } } : {}),
    requestId: EXAMPLE_REQUEST_ID,
  };
}

/** "`aks-prod`: `aks-rotate-certs`, `kms-rotate-key`…" — what each configured cluster offers. */
function clusterLines(clusters: readonly HelpCluster[]): string[] {
  return clusters.slice(0, 20).map((c) => {
    const operations = requestableOperations(c).map((op) =>
      [op, commandParamsUsage(op), isDangerous(op) ? '(dangerous)' : ''].filter(Boolean).join(' '),
    );
    const levels = c.access?.levels.map((l) => l.name) ?? [];
    const access = levels.length > 0 ? ` · access levels ${codeList(levels, 40)}` : '';
    return `• ${code(c.name, 63)}: ${codeList(operations, 120, 'no rotations')}${access}`;
  });
}

/** The /certs help card, built from the configuration; with `unknown`, it first says which subcommand was not understood. */
export function helpBlocks(clusters: readonly HelpCluster[], unknown?: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (unknown !== undefined) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:warning: ${code(`${SLASH_COMMAND} ${unknown}`, 48)} is not a certops command. These are:`,
      },
    });
  }
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'certops: certificate operations' } });
  const examples = helpExamples(clusters);
  const lines = SUBCOMMANDS.map(
    (s) => `*\`${SLASH_COMMAND} ${s.usage}\`*\n${s.summary}, e.g. ${code(s.example(examples), 150)}`,
  );
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) } });
  const configured =
    clusters.length === 0 ? 'No clusters are configured yet.' : `*Clusters here*\n${clusterLines(clusters).join('\n')}`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(configured, 3000) } });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Dangerous operations need two approvers other than the requester, and you confirm them by typing the cluster's name. Request ids look like ${code(examples.requestId, 20)}. Everything is audited.`,
      },
    ],
  });
  return blocks;
}

export function helpText(clusters: readonly HelpCluster[]): string {
  const examples = helpExamples(clusters);
  return SUBCOMMANDS.map((s) => `${SLASH_COMMAND} ${s.usage} — ${s.summary} (e.g. ${s.example(examples)})`).join('\n');
}
