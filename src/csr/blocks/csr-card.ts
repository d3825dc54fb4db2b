import type { Button, KnownBlock } from '@slack/types';
import type { CsrView } from '../csr-summary';
import { ActionIds, CsrBlockIds } from '../../slack/ids';
import { encodeCsrButton } from './csr-button-value';
import { code, codeList, escapeEntities, mention, name, neutralise, peopleList, plain } from '../../slack/escape';
import { RISK_LABEL, ageText, clip, sansText, stateLine } from './csr-format';
import { plural } from '../../util/plural';

/** Votes so far on a high-risk CSR's two-person approval. */
export interface CsrVotes {
  /** Who voted, by Slack id (shown as mentions) and the name recorded. */
  voters: Array<{ id: string; name: string }>;
  required: number;
}

export interface CsrCardInput {
  csr: CsrView;
  now: Date;
  votes?: CsrVotes;
  /** A line certops writes about the card itself (e.g. "Deleted while certops was away"); never untrusted text. */
  note?: string;
}

function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, text: clip(`*${label}*\n${value}`, 1900) };
}

function lifetime(seconds: number | undefined): string {
  return seconds === undefined
    ? 'signer default'
    : `${Math.round(seconds / 3600) >= 48 ? `${Math.round(seconds / 86400)}d` : `${Math.round(seconds / 3600)}h`} (${seconds}s)`;
}

function findingsText(csr: CsrView): string {
  // Finding messages quote the request (names, usernames): shown as code, never as markup.
  const lines = csr.findings.map((f) => `• ${code(f.code, 60)} (${f.severity}) ${code(f.message, 600)}`);
  return clip(
    [
      `*Verdict:* ${RISK_LABEL[csr.risk]}`,
      ...(lines.length > 0 ? lines : ['No findings: every policy check passed.']),
    ].join('\n'),
  );
}

/** What proves each serving name (configuration only) and what the Node's status says (shown, never proof). */
function namesText(csr: CsrView): string | undefined {
  if (!csr.nameProofs || csr.nameProofs.length === 0) return undefined;
  const lines = csr.nameProofs.map((p) => {
    const proof = p.conflict
      ? `:x: belongs to ${code(p.conflict, 100)}`
      : p.proof
        ? `:white_check_mark: proven by ${code(p.proof, 200)}`
        : ':grey_question: proven by nothing';
    return `• ${p.kind} ${code(p.name, 200)} ${proof}${p.inNodeStatus ? " · in the Node's status" : ''}`;
  });
  const status = csr.nodeStatus
    ? codeList(
        csr.nodeStatus.map((a) => `${a.type} ${a.address}`),
        100,
        'no addresses',
      )
    : 'not looked up';
  return clip(
    ['*Names and their proof*', ...lines, `_Node status (written by the kubelet itself, never proof):_ ${status}`].join(
      '\n',
    ),
  );
}

/** "needs N approvers" after `lead`, or nothing when the count is unknown (a member stored by an older version). */
function needsText(csr: CsrView, lead: string): string {
  return csr.approvalsNeeded === undefined ? '' : `${lead}${plural(csr.approvalsNeeded, 'approver')}`;
}

/** Who is behind the Kubernetes requester, as the configuration's identities say. */
function requesterText(csr: CsrView): string {
  const people = csr.requesterPeople;
  const base = `${code(csr.username, 200)}\n${codeList(csr.groups, 100, 'no groups')}`;
  if (!people.mapped)
    return `${base}\n_maps to no person (identities)${csr.risk === 'high' ? needsText(csr, ': needs ') : ''}_`;
  if (people.slackUserIds.length === 0) return `${base}\n_no person (identities:_ ${codeList(people.via, 100)}_)_`;
  return `${base}\n${people.slackUserIds.map(mention).join(', ')} (may not approve)`;
}

/** Every CN: Kubernetes reads only the last one, so a second one is shown, never hidden. */
function subjectText(csr: CsrView): string {
  const cns = csr.commonNames.length > 1 ? csr.commonNames : [csr.subject.commonName];
  const orgs = csr.subject.organizations.length > 0 ? `, O=${codeList(csr.subject.organizations, 100)}` : '';
  return `${cns.map((cn) => `CN=${code(cn, 200)}`).join(', ')}${orgs}`;
}

function buttons(csr: CsrView): Button[] {
  const value = encodeCsrButton(csr);
  const deny: Button = {
    type: 'button',
    action_id: ActionIds.denyCsr,
    text: { type: 'plain_text', text: 'Deny' },
    style: 'danger',
    value,
  };
  if (csr.risk === 'invalid') return [deny];
  const needs = csr.risk === 'high' ? needsText(csr, 'needs ') : '';
  const label = needs ? `Approve (${needs})` : 'Approve';
  return [
    {
      type: 'button',
      action_id: ActionIds.approveCsr,
      text: { type: 'plain_text', text: label },
      style: 'primary',
      value,
    },
    deny,
  ];
}

/** The full card of one CSR: everything an approver must know, and Approve / Deny while it is pending. */
export function csrCardBlocks(input: CsrCardInput): KnownBlock[] {
  const { csr, now } = input;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: plain(`CSR ${csr.name} on ${csr.cluster}`, 150) } },
    {
      type: 'section',
      fields: [
        field('Signer', code(csr.signerName, 200)),
        field('Requester', requesterText(csr)),
        field('Subject', subjectText(csr)),
        field('SANs', sansText(csr)),
        field('Usages', codeList(csr.usages, 60)),
        field('Requested lifetime', lifetime(csr.expirationSeconds)),
        field(
          'Key',
          csr.keyAlgorithm ? `${name(csr.keyAlgorithm, 40)}${csr.keySize ? ` ${csr.keySize}-bit` : ''}` : 'unreadable',
        ),
        field('Age', ageText(csr.createdAt, now)),
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: findingsText(csr) } },
  ];
  const names = namesText(csr);
  if (names) blocks.splice(2, 0, { type: 'section', text: { type: 'mrkdwn', text: names } });
  const state = stateLine(csr);
  const context: string[] = [];
  if (state) context.push(state);
  if (csr.state === 'pending' && input.votes && input.votes.voters.length > 0) {
    context.push(
      `${input.votes.voters.length} of ${plural(input.votes.required, 'approval')}: ${peopleList(input.votes.voters)}`,
    );
  }
  if (csr.state === 'pending' && csr.selfApprovedBy)
    context.push(`No buttons: ${code(csr.selfApprovedBy, 100)} approves this CSR itself.`);
  if (input.note) context.push(escapeEntities(neutralise(input.note)));
  if (context.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(context.join('\n')) } });
  if (csr.state === 'pending' && !csr.selfApprovedBy)
    blocks.push({ type: 'actions', block_id: CsrBlockIds.cardActions, elements: buttons(csr) });
  return blocks;
}

/** The notification text (screen readers, push notifications) of a card. */
export function csrCardText(csr: CsrView): string {
  return clip(
    `CSR ${name(csr.name)} on ${name(csr.cluster)} from ${code(csr.username, 100)}: ${csr.risk} risk, ${csr.state}`,
  );
}
