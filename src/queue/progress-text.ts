import { plural } from '../util/plural';
import { slackDate } from '../util/slack-date';
import type { ProgressUpdate } from './throttled-progress';
import type { RequestOutcome } from './worker-deps';

const BAR_WIDTH = 20;

export interface ProgressView {
  operation: string;
  cluster: string;
  requestId: string;
  /** Every step seen so far, oldest first; the last one is the current step. */
  steps: string[];
  latest: ProgressUpdate;
}

/** `[██████░░░░░░░░░░░░░░] 30%` */
export function progressBar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `\`[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.floor(ratio * 100)}%\``;
}

/** The one progress message of a running request: bar, the steps done, the current step. */
export function progressText(view: ProgressView): string {
  const { latest } = view;
  const lines = [`:gear: *${view.operation}* on *${view.cluster}* (request \`${view.requestId}\`)`];
  if (latest.total !== undefined)
    lines.push(`${progressBar(latest.done, latest.total)} ${latest.done} / ${latest.total}`);
  for (const step of view.steps.slice(0, -1).slice(-15)) lines.push(`:white_check_mark: ${step}`);
  lines.push(`:arrow_forward: ${view.steps.at(-1) ?? latest.step}${latest.detail ? ` (${latest.detail})` : ''}`);
  return truncate(lines.join('\n'));
}

interface Fingerprint {
  caFingerprint?: string;
  caExpiresOn?: string;
  clientCertExpiresOn?: string;
}

/** Before/after figures of a finished operation, from its result. */
export function beforeAfterLines(operation: string, result: unknown): string[] {
  const r = (result ?? {}) as Record<string, unknown>;
  if (operation === 'aks-rotate-certs') {
    const before = (r.before ?? {}) as Fingerprint;
    const after = (r.after ?? {}) as Fingerprint;
    return [
      `• CA fingerprint: \`${short(before.caFingerprint)}\` → \`${short(after.caFingerprint)}\``,
      `• CA expires: ${change(before.caExpiresOn, after.caExpiresOn)}`,
      ...(after.clientCertExpiresOn
        ? [`• client certificate expires: ${change(before.clientCertExpiresOn, after.clientCertExpiresOn)}`]
        : []),
    ];
  }
  if (operation === 'kms-rotate-key') {
    const reencryption = (r.reencryption ?? {}) as { rewritten?: number; namespaces?: number };
    return [
      `• key version: \`${keyVersion(r.previousKeyId)}\` → \`${keyVersion(r.newKeyId)}\`${r.createdVersion === false ? ' (a newer unused version was reused)' : ''}`,
      `• secrets rewritten with the new key: ${reencryption.rewritten ?? '?'} in ${counted(reencryption.namespaces, 'namespace')}`,
    ];
  }
  if (operation === 'kubeadm-renew') {
    const nodes = (r.nodes ?? []) as Array<{ node: string; certificates: Array<{ expiresOn: string }> }>;
    return nodes.map((n) => {
      const earliest = n.certificates.map((c) => c.expiresOn).sort()[0];
      return `• ${n.node}: certificates now expire ${earliest ? slackDate(earliest) : '(not reported)'}`;
    });
  }
  if (operation === 'reencrypt-secrets') {
    return [
      `• secrets rewritten: ${String(r.rewritten ?? '?')} in ${counted(r.namespaces, 'namespace')} (${String(r.skipped ?? 0)} deleted meanwhile)`,
    ];
  }
  return [];
}

/** The final state of the progress message. */
export function outcomeText(outcome: RequestOutcome): string {
  const head = outcome.ok
    ? `:white_check_mark: *${outcome.operation}* on *${outcome.cluster}* succeeded`
    : outcome.cancelled
      ? `:octagonal_sign: *${outcome.operation}* on *${outcome.cluster}* cancelled`
      : `:x: *${outcome.operation}* on *${outcome.cluster}* failed`;
  const lines = [head, outcome.summary, ...(outcome.ok ? beforeAfterLines(outcome.operation, outcome.result) : [])];
  return truncate(lines.join('\n'));
}

/** What the whole channel must hear: a failure, and after an AKS rotation that everyone needs new credentials. */
export function channelNoticeText(outcome: RequestOutcome, aks?: { resourceGroup: string; name: string }): string {
  if (outcome.cancelled) {
    return `:octagonal_sign: ${outcome.operation} on ${outcome.cluster} was cancelled between steps (request \`${outcome.requestId}\`); the card says after which step. The cluster is free for another request.`;
  }
  if (!outcome.ok) {
    return truncate(
      `:x: ${outcome.operation} on ${outcome.cluster} failed (request \`${outcome.requestId}\`): ${outcome.summary}\nThe cluster is free for another request.`,
    );
  }
  if (outcome.operation === 'aks-rotate-certs' && aks) {
    return (
      `:warning: The certificates of *${outcome.cluster}* were rotated. Everyone must fetch credentials again — old kubeconfigs fail with ` +
      '`x509: certificate signed by unknown authority`:\n' +
      `\`az aks get-credentials --resource-group ${aks.resourceGroup} --name ${aks.name} --overwrite-existing\``
    );
  }
  return `:white_check_mark: ${outcome.operation} on ${outcome.cluster} succeeded (request \`${outcome.requestId}\`).`;
}

/** "Dec 5, 2027 → Dec 5, 2028", or "Dec 5, 2027 (unchanged)" when nothing moved. */
function change(before: string | undefined, after: string | undefined): string {
  if (before !== undefined && before === after) return `${slackDate(after)} (unchanged)`;
  return `${before ? slackDate(before) : '?'} → ${after ? slackDate(after) : '?'}`;
}

function counted(count: unknown, singular: string): string {
  return typeof count === 'number' ? plural(count, singular) : `? ${singular}s`;
}

function short(fingerprint: string | undefined): string {
  return fingerprint ? `${fingerprint.slice(0, 23)}…` : '?';
}

function keyVersion(keyId: unknown): string {
  return typeof keyId === 'string' ? (keyId.split('/').filter(Boolean).at(-1) ?? keyId) : '?';
}

// Slack's limit is 40,000 characters per text; stay far below it so a long error never loses the message.
function truncate(text: string, max = 3_000): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
