import type { Button, KnownBlock } from '@slack/types';
import type { CsrSummary } from '../../csr/csr-summary';
import { ActionIds, CsrBlockIds } from '../ids';
import { encodeCsrButton } from './csr-button-value';
import { RISK_LABEL, ageText, clip, escapeMrkdwn, sansText, stateLine } from './csr-format';

/** Votes so far on a high-risk CSR's two-person approval. */
export interface CsrVotes {
  names: string[];
  required: number;
}

export interface CsrCardInput {
  csr: CsrSummary;
  now: Date;
  votes?: CsrVotes;
  /** A line about what happened to the card itself (e.g. "Deleted while certops was away"). */
  note?: string;
}

function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, text: clip(`*${label}*\n${value}`, 1900) };
}

function lifetime(seconds: number | undefined): string {
  return seconds === undefined ? 'signer default' : `${Math.round(seconds / 3600) >= 48 ? `${Math.round(seconds / 86400)}d` : `${Math.round(seconds / 3600)}h`} (${seconds}s)`;
}

function findingsText(csr: CsrSummary): string {
  const lines = csr.findings.map((f) => `• \`${f.code}\` (${f.severity}) ${escapeMrkdwn(f.message)}`);
  return clip([`*Verdict:* ${RISK_LABEL[csr.risk]}`, ...(lines.length > 0 ? lines : ['No findings: every policy check passed.'])].join('\n'));
}

function buttons(csr: CsrSummary): Button[] {
  const value = encodeCsrButton(csr);
  const deny: Button = { type: 'button', action_id: ActionIds.denyCsr, text: { type: 'plain_text', text: 'Deny' }, style: 'danger', value };
  if (csr.risk === 'invalid') return [deny];
  const label = csr.risk === 'high' ? 'Approve (needs 2 approvers)' : 'Approve';
  return [{ type: 'button', action_id: ActionIds.approveCsr, text: { type: 'plain_text', text: label }, style: 'primary', value }, deny];
}

/** The full card of one CSR: everything an approver must know, and Approve / Deny while it is pending. */
export function csrCardBlocks(input: CsrCardInput): KnownBlock[] {
  const { csr, now } = input;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`CSR ${csr.name} on ${csr.cluster}`, 150) } },
    {
      type: 'section',
      fields: [
        field('Signer', escapeMrkdwn(csr.signerName)),
        field('Requester', `${escapeMrkdwn(csr.username)}\n${escapeMrkdwn(csr.groups.join(', ') || 'no groups')}`),
        field('Subject', `CN=${escapeMrkdwn(csr.subject.commonName)}${csr.subject.organizations.length > 0 ? `, O=${escapeMrkdwn(csr.subject.organizations.join('+'))}` : ''}`),
        field('SANs', sansText(csr)),
        field('Usages', escapeMrkdwn(csr.usages.join(', ') || 'none')),
        field('Requested lifetime', lifetime(csr.expirationSeconds)),
        field('Key', csr.keyAlgorithm ? `${csr.keyAlgorithm}${csr.keySize ? ` ${csr.keySize}-bit` : ''}` : 'unreadable'),
        field('Age', ageText(csr.createdAt, now)),
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: findingsText(csr) } },
  ];
  const state = stateLine(csr);
  const context: string[] = [];
  if (state) context.push(state);
  if (csr.state === 'pending' && input.votes && input.votes.names.length > 0) {
    context.push(`${input.votes.names.length} of ${input.votes.required} approvals: ${input.votes.names.map((n) => `@${escapeMrkdwn(n)}`).join(', ')}`);
  }
  if (csr.state === 'pending' && csr.selfApprovedBy) context.push(`No buttons: ${escapeMrkdwn(csr.selfApprovedBy)} approves this CSR itself.`);
  if (input.note) context.push(escapeMrkdwn(input.note));
  if (context.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(context.join('\n')) } });
  if (csr.state === 'pending' && !csr.selfApprovedBy) blocks.push({ type: 'actions', block_id: CsrBlockIds.cardActions, elements: buttons(csr) });
  return blocks;
}

/** The notification text (screen readers, push notifications) of a card. */
export function csrCardText(csr: CsrSummary): string {
  return clip(`CSR ${csr.name} on ${csr.cluster} from ${csr.username}: ${csr.risk} risk, ${csr.state}`);
}
