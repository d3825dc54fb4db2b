import type { ClusterConfig } from '../config/schema';
import { reasonTooLong } from '../core/approvals';
import {
  checkParams,
  commandParamsUsage,
  isDangerous,
  isOperationId,
  paramFields,
  requestableOperations,
  splitCommandParams,
  type OperationId,
} from '../core/operations';
import { SLASH_COMMAND } from '../slack/ids';

type RotatableCluster = Pick<ClusterConfig, 'name' | 'aks' | 'kms' | 'kubeadm'>;

/** What a rotation request asks for, checked against the configuration. */
export interface RotateChoice {
  cluster: string;
  operation: OperationId;
  reason: string;
  /** Checked against the catalogue's schema (defaults filled in); none for operations without parameters. */
  params?: Record<string, unknown>;
}

/** `confirmed`: the cluster name was typed (`--confirm <cluster>`), which a dangerous operation needs before it is requested. */
export type RotateParse = { ok: true; choice: RotateChoice; confirmed: boolean } | { ok: false; message: string };

export { requestableOperations };

export const ROTATE_USAGE = `\`${SLASH_COMMAND} rotate <operation> <cluster> [name=value …] <reason…> [--confirm <cluster>]\`, or \`${SLASH_COMMAND} rotate\` alone for a form`;

/** The one rule for dangerous operations, on every path: the requester types the cluster's name. */
export const CONFIRM_RULE = 'Dangerous operations are confirmed by typing the cluster name';

/** How one operation's parameters are written on the command, e.g. `kms-enable: key=<key id> [access=Public|Private] …`. */
function operationUsage(op: OperationId): string {
  const params = commandParamsUsage(op);
  return params ? `\`${op} ${params}\`` : `\`${op}\``;
}

/** The valid choices, so a refused command teaches the right one. */
export function rotateChoicesText(clusters: readonly RotatableCluster[]): string {
  if (clusters.length === 0) return 'No clusters are configured, so there is nothing to rotate.';
  const lines = clusters.map((c) => {
    const ops = requestableOperations(c);
    return `• \`${c.name}\`: ${ops.length > 0 ? ops.map(operationUsage).join(', ') : 'no operations'}`;
  });
  return `Clusters and the operations they support:\n${lines.join('\n')}`;
}

function refusal(problem: string, clusters: readonly RotatableCluster[]): RotateParse {
  return { ok: false, message: `${problem}\nUsage: ${ROTATE_USAGE}.\n${rotateChoicesText(clusters)}` };
}

/** A refusal message when the cluster/operation pair is not offered, or undefined when it is. */
export function checkRotateChoice(
  clusterName: string,
  operation: string,
  clusters: readonly RotatableCluster[],
): string | undefined {
  const cluster = clusters.find((c) => c.name === clusterName);
  if (!cluster) return `Unknown cluster \`${clusterName}\`.`;
  if (!isOperationId(operation) || operation.startsWith('csr-') || operation === 'access-grant')
    return `Unknown operation \`${operation}\`.`;
  if (!requestableOperations(cluster).includes(operation))
    return `\`${operation}\` is not supported on cluster \`${clusterName}\`.`;
  return undefined;
}

/** `/certs rotate <operation> <cluster> <reason…>` → a checked choice, or what was wrong with the usage and the choices. */
export function parseRotateArgs(allArgs: readonly string[], clusters: readonly RotatableCluster[]): RotateParse {
  const at = allArgs.indexOf('--confirm');
  const confirm = at < 0 ? undefined : allArgs[at + 1];
  if (at >= 0 && confirm === undefined) return refusal('`--confirm` needs the cluster name after it.', clusters);
  const args = at < 0 ? allArgs : [...allArgs.slice(0, at), ...allArgs.slice(at + 2)];
  const [operation, cluster, ...reasonWords] = args;
  if (operation === undefined || cluster === undefined)
    return refusal('Name an operation, a cluster and a reason.', clusters);
  const problem = checkRotateChoice(cluster, operation, clusters);
  if (problem) return refusal(problem, clusters);
  const op = operation as OperationId;
  const split = splitCommandParams(op, reasonWords);
  if (!split.ok) return refusal(split.message, clusters);
  const reason = split.rest.join(' ').trim();
  const params = checkParams(op, split.answers);
  if (!params.ok) {
    const words = Object.entries(params.errors).map(
      ([key, message]) => `\`${paramFields(op).find((f) => f.key === key)?.word ?? key}=\`: ${message}`,
    );
    return refusal(`Check the parameters of \`${op}\`: ${words.join('; ')}.`, clusters);
  }
  if (reason === '') return refusal('Say why: a reason is required, approvers read it before they vote.', clusters);
  const tooLong = reasonTooLong(reason);
  if (tooLong) return refusal(tooLong, clusters);
  if (confirm !== undefined && confirm !== cluster)
    return refusal(
      `\`--confirm ${confirm}\` does not match the cluster \`${cluster}\`: type its name exactly.`,
      clusters,
    );
  return {
    ok: true,
    choice: { cluster, operation: op, reason, params: params.params },
    confirmed: confirm === cluster,
  };
}

/** Whether a parsed command may be requested as it is, or must first go through the confirmation form. */
export function needsConfirmation(parsed: { choice: RotateChoice; confirmed: boolean }): boolean {
  return isDangerous(parsed.choice.operation) && !parsed.confirmed;
}

/** The modal's answers, as Slack sends them in view.state.values. */
export interface RotateFormValues {
  cluster?: string;
  operation?: string;
  reason?: string;
  confirm?: string;
  /** The operation's parameter inputs, by parameter name. */
  params?: Record<string, string>;
}

/** A form field: one of the fixed inputs, or `param:<name>` for a parameter input. */
export type RotateFormField = Exclude<keyof RotateFormValues, 'params'> | `param:${string}`;
export type RotateFormCheck =
  { ok: true; choice: RotateChoice } | { ok: false; errors: Partial<Record<RotateFormField, string>> };

export function paramFormField(key: string): RotateFormField {
  return `param:${key}`;
}

/** Checks a submitted rotation form; errors name the field they belong to (shown under it by Slack). */
export function checkRotateForm(values: RotateFormValues, clusters: readonly RotatableCluster[]): RotateFormCheck {
  const errors: Partial<Record<RotateFormField, string>> = {};
  const cluster = values.cluster ?? '';
  const operation = values.operation ?? '';
  const reason = (values.reason ?? '').trim();
  if (!cluster) errors.cluster = 'Pick a cluster.';
  if (!operation) errors.operation = 'Pick an operation.';
  if (cluster && operation) {
    const problem = checkRotateChoice(cluster, operation, clusters);
    if (problem) errors[clusters.some((c) => c.name === cluster) ? 'operation' : 'cluster'] = problem.replace(/`/g, '');
  }
  if (!reason) errors.reason = 'Say why: approvers read the reason before they vote.';
  else if (reasonTooLong(reason)) errors.reason = reasonTooLong(reason);
  let params: Record<string, unknown> = {};
  if (!errors.operation && isOperationId(operation)) {
    const checked = checkParams(operation, values.params ?? {});
    if (checked.ok) params = checked.params;
    else for (const [key, message] of Object.entries(checked.errors)) errors[paramFormField(key)] = message;
  }
  // The form asks for the name whenever it offers a dangerous operation; whatever is typed must be the cluster's.
  const typed = (values.confirm ?? '').trim();
  if (!errors.operation && isOperationId(operation) && isDangerous(operation) && typed !== cluster) {
    errors.confirm = typed
      ? `That is not ${cluster}: type the cluster name exactly to confirm ${operation}.`
      : `${operation} is dangerous: type the cluster name (${cluster}) to confirm.`;
  } else if (typed && cluster && typed !== cluster) {
    errors.confirm = `That is not ${cluster}: type the cluster name exactly, as the request names it.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, choice: { cluster, operation: operation as OperationId, reason, params } };
}
