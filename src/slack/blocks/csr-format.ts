import type { CsrRisk } from '../../core/csr';
import type { CsrSummary } from '../../csr/csr-summary';
import { formatResidual } from '../../util/duration';
import { clipMrkdwn, code, codeList, name } from '../escape';

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

export function sansText(csr: Pick<CsrSummary, 'dnsNames' | 'ipAddresses' | 'emailAddresses' | 'uris'> & Partial<Pick<CsrSummary, 'otherNames'>>): string {
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

/** The card's status line once the CSR left `pending`, or undefined while it waits. */
export function stateLine(csr: CsrSummary): string | undefined {
  const who = (c: { reason: string; message: string }) => `${name(c.reason, 80)}${c.message ? `: ${code(c.message, 500)}` : ''}`;
  switch (csr.state) {
    case 'pending':
      return undefined;
    case 'approved':
      return `:white_check_mark: *Approved*, waiting for the signer (${who(csr.decision ?? { reason: '', message: '' })})`;
    case 'denied':
      return `:x: *Denied* (${who(csr.decision ?? { reason: '', message: '' })})`;
    case 'issued': {
      const until = csr.certificateNotAfter ? `, certificate valid until ${csr.certificateNotAfter.replace('.000Z', 'Z')}` : '';
      return `:lock: *Issued*${until}${csr.decision ? ` (approved: ${who(csr.decision)})` : ''}`;
    }
    case 'failed':
      return `:warning: *Failed*: the signer refused it (${who(csr.failure ?? { reason: '', message: '' })})`;
    case 'gone':
      return ':wastebasket: *Gone*: the CSR was deleted or garbage-collected; nothing left to decide.';
  }
}

/** One line of a grouped message: name, requester, names, verdict and state. */
export function csrLine(csr: CsrSummary): string {
  const state = csr.state === 'pending' ? '' : ` — *${csr.state}*`;
  return `${RISK_LABEL[csr.risk]} ${code(csr.name)} ${code(csr.username, 100)} (${sansText(csr)})${state}`;
}
