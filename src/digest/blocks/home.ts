import type { HomeView, KnownBlock } from '@slack/types';
import type { ExpiryThresholds } from '../../core/expiry';
import { countByStatus, itemsOf, type ClusterView } from '../certificate-view';
import { slackDate } from '../../util/slack-date';
import { name } from '../../slack/escape';
import { ageText, clip, countsText, section } from './digest-format';
import { nextExpiryText } from './status';

export interface HomeCluster extends ClusterView {
  pendingCsrs: number | null;
  pendingRequests: number;
  runningRotations: number;
}

export interface HomeInput {
  clusters: readonly HomeCluster[];
  now: Date;
  thresholds: ExpiryThresholds;
}

/** Slack allows 100 blocks in a Home tab; three per cluster leaves room for the header. */
const MAX_HOME_CLUSTERS = 30;

function clusterBlocks(cluster: HomeCluster, input: HomeInput): KnownBlock[] {
  const items = itemsOf(cluster, input.now, input.thresholds);
  const scan = cluster.latest ? `latest scan ${ageText(cluster.latest.at, input.now)}` : 'no scan yet';
  const field = (text: string) => ({ type: 'mrkdwn' as const, text: clip(text, 2000) });
  return [
    section(`*${name(cluster.name)}* · ${scan}\n${cluster.latest ? countsText(countByStatus(items)) : 'Counts appear after the first scan.'}`),
    {
      type: 'section',
      fields: [
        field(`*Next expiry*\n${cluster.latest ? nextExpiryText(items) : '—'}`),
        field(`*Pending CSRs*\n${cluster.pendingCsrs === null ? 'unknown (cluster not reachable)' : String(cluster.pendingCsrs)}`),
        field(`*Pending approval requests*\n${cluster.pendingRequests}`),
        field(`*Running rotations*\n${cluster.runningRotations}`),
      ],
    },
    { type: 'divider' },
  ];
}

/** The App Home of someone who may not read the inventory: what it is and who to ask. */
export function homeRefusedView(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'certops · certificate overview' } },
      section('Sorry, the certificate overview is only for certops readers, operators and approvers. An admin can add you (or a user group you are in) to `roles.readers` in the certops configuration.'),
    ],
  };
}

/** The App Home: one overview per cluster, as of the latest scans. */
export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'certops · certificate overview' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Updated ${slackDate(input.now)} · \`/certs help\` lists the commands` }] },
  ];
  if (input.clusters.length === 0) blocks.push(section('No clusters are configured yet.'));
  for (const cluster of input.clusters.slice(0, MAX_HOME_CLUSTERS)) blocks.push(...clusterBlocks(cluster, input));
  if (input.clusters.length > MAX_HOME_CLUSTERS) blocks.push(section(`…and ${input.clusters.length - MAX_HOME_CLUSTERS} more clusters: \`/certs status\` lists them all.`));
  return { type: 'home', blocks };
}
