import type { KnownBlock } from '@slack/types';
import type { CsrView } from '../csr-summary';
import { code, name } from '../../slack/escape';
import { clip } from './csr-format';
import { plural } from '../../util/plural';

/** One line reporting CSRs certops denied without a human (csr.autoDeny: invalid), each with the check it failed. */
export function csrAutoDeniedContent(cluster: string, members: CsrView[]): { text: string; blocks: KnownBlock[] } {
  const items = members.map((m) => `${code(m.name)} (${name(m.findings[0]?.code ?? 'invalid', 60)})`).join(', ');
  const text = clip(
    `:no_entry: ${plural(members.length, 'invalid CSR')} on ${name(cluster)} denied automatically (CertopsAutoDeny; csr.autoDeny): ${items}`,
  );
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
