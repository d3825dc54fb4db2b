import type { CsrRisk } from '../../core/csr';
import type { CsrSummary, CsrView } from '../csr-summary';
import { DECISION_REASONS } from '../../operations/decide-csr';
import { formatResidual } from '../../util/duration';
import { slackDate } from '../../util/slack-date';
import { clipMrkdwn, code, codeList, mention, name } from '../../slack/escape';

/** Slack's limit per text object is 3,000 characters; keep a margin for the ellipsis. */
export const MAX_TEXT = 2900;

export function clip(text: string, max = MAX_TEXT): string {
  return clipMrkdwn(text, max);
}

export const RISK_LABEL: Record<CsrRisk, string> = {
  low: ':large_green_circle: Low risk',
  high: ':red_circle: High risk',
  invalid: ':no_entry: Invalid',
};

export function sansText(
  csr: Pick<CsrSummary, 'dnsNames' | 'ipAddresses' | 'emailAddresses' | 'uris'> &
    Partial<Pick<CsrSummary, 'otherNames'>>,
): string {
  const parts = [
    ...csr.dnsNames.map((n) => `DNS:${n}`),
    ...csr.ipAddresses.map((n) => `IP:${n}`),
    ...csr.emailAddresses.map((n) => `email:${n}`),
    ...csr.uris.map((n) => `URI:${n}`),
    ...(csr.otherNames ?? []),
  ];
  return codeList(parts, 300);
}

export function ageText(createdAt: string, now: Date): string {
  const seconds = Math.floor((now.getTime() - Date.parse(createdAt)) / 1000);
  return seconds < 60 ? 'just now' : `${formatResidual(seconds)} ago`;
}

// The messages certops writes into CSR conditions (csr-decisions): "Approved in Slack by oscar (U0…) via certops".
const SLACK_DECISION = /^(Approved|Denied) in Slack by (.+?) via certops( \(two-person rule\))?(?:: ([\s\S]*))?$/;
const PERSON = /^(.*) \((U[A-Z0-9]{2,20})\)$/;

function personText(person: string): string {
  const match = PERSON.exec(person);
  return match ? mention(match[2] as string) : name(person, 80);
}

/**
 * A CSR condition as a sentence. certops' own conditions keep a machine-friendly reason and the Slack ids in the
 * message, for the API; the card reads "Approved in Slack by @oscar". Conditions others wrote (kubectl, the
 * controller manager) and anything that does not parse are quoted with their reason.
 */
export function conditionText(condition: { reason: string; message: string } | undefined): string {
  if (!condition || (!condition.reason && !condition.message)) return 'No reason was recorded';
  const slack =
    condition.reason === DECISION_REASONS.approve || condition.reason === DECISION_REASONS.deny
      ? SLACK_DECISION.exec(condition.message)
      : null;
  if (slack) {
    const [, verb, people, twoPerson, why] = slack;
    const who = (people as string).split(' and ').map(personText).join(' and ');
    return `${verb} in Slack by ${who}${twoPerson ? ' under the two-person rule' : ''}${why ? `: ${code(why, 300)}` : ''}`;
  }
  if (condition.reason === DECISION_REASONS.autoApprove)
    return 'Approved automatically by certops: every policy check passed (`csr.autoApprove`)';
  if (condition.reason === DECISION_REASONS.autoDeny)
    return `Denied automatically by certops because the request is invalid (\`csr.autoDeny\`): ${code(condition.message.replace(/^[^)]*\):\s*/, ''), 300)}`;
  const reason = condition.reason ? `Reason ${code(condition.reason, 80)}` : 'No reason given';
  return `${reason}${condition.message ? `: ${code(condition.message, 500)}` : ''}`;
}

/** The answer to someone deciding a CSR that is no longer pending: its state and who decided, as sentences. */
export function alreadyDecidedText(csr: Pick<CsrSummary, 'name' | 'state' | 'decision'>): string {
  const how = csr.decision ? ` ${conditionText(csr.decision)}.` : '';
  return `CSR ${name(csr.name)} is already ${csr.state}.${how} Nothing was changed.`;
}

/** The card's status line once the CSR left `pending`, or undefined while it waits. */
export function stateLine(csr: CsrView): string | undefined {
  switch (csr.state) {
    case 'pending':
      return undefined;
    case 'approved':
      return `:white_check_mark: *Approved*, waiting for the signer. ${conditionText(csr.decision)}.`;
    case 'denied':
      return `:x: *Denied*. ${conditionText(csr.decision)}.`;
    case 'issued': {
      const until = csr.certificateNotAfter ? `, certificate valid until ${slackDate(csr.certificateNotAfter)}` : '';
      return `:lock: *Issued*${until}.${csr.decision ? ` ${conditionText(csr.decision)}.` : ''}`;
    }
    case 'failed':
      return `:warning: *Failed*: the signer refused it (${conditionText(csr.failure)}).`;
    case 'gone':
      return ':wastebasket: *Gone*: the CSR was deleted or garbage-collected; nothing left to decide.';
  }
}

/** One line of a grouped message: name, requester, names, verdict and state. */
export function csrLine(csr: CsrView): string {
  const state = csr.state === 'pending' ? '' : ` — *${csr.state}*`;
  return `${RISK_LABEL[csr.risk]} ${code(csr.name)} ${code(csr.username, 100)} (${sansText(csr)})${state}`;
}
