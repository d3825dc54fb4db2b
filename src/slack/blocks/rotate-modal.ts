import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ClusterConfig } from '../../config/schema';
import { requestableOperations } from '../../approvals/rotate-input';
import { MAX_REASON_LENGTH } from '../../core/approvals';
import { isDangerous, operationSpec, type OperationId } from '../../core/operations';
import { ApprovalBlockIds, CallbackIds } from '../ids';
import { approvalModal } from './approval-modal';
import { plain } from '../escape';
import { truncate } from './approval-text';

export interface RotateModalInput {
  clusters: ReadonlyArray<Pick<ClusterConfig, 'name' | 'aks' | 'kms' | 'kubeadm'>>;
  /** Prefilled choices (the Rotate… button on a cluster or certificate). */
  cluster?: string;
  operation?: OperationId;
  /** Carried back on submission (the channel to answer in). */
  privateMetadata?: string;
}

function option(value: string, text: string): PlainTextOption {
  return { text: { type: 'plain_text', text: plain(text, 75) }, value };
}

function operationOption(op: OperationId): PlainTextOption {
  return { ...option(op, `${op}${isDangerous(op) ? ' (dangerous)' : ''}`), description: { type: 'plain_text', text: truncate(operationSpec(op).description, 75) } };
}

/** Operations to offer: the prefilled cluster's, or those of any cluster (checked against the cluster on submission). */
function offeredOperations(input: RotateModalInput): OperationId[] {
  const chosen = input.clusters.find((c) => c.name === input.cluster);
  const sources = chosen ? [chosen] : input.clusters;
  return [...new Set(sources.flatMap((c) => requestableOperations(c)))];
}

/** The rotation request form: cluster, operation, reason, and a typed confirmation for dangerous operations. */
export function rotateModalView(input: RotateModalInput): ModalView {
  const clusterOptions = input.clusters.map((c) => option(c.name, c.name)).slice(0, 100);
  const operations = offeredOperations(input);
  const operationOptions = operations.map(operationOption).slice(0, 100);
  const initialCluster = clusterOptions.find((o) => o.value === input.cluster);
  const initialOperation = operationOptions.find((o) => o.value === input.operation);
  const needsConfirm = input.operation ? isDangerous(input.operation) : operations.some(isDangerous);
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: ApprovalBlockIds.rotateCluster,
      label: { type: 'plain_text', text: 'Cluster' },
      element: { type: 'static_select', action_id: ApprovalBlockIds.rotateClusterSelect, options: clusterOptions, ...(initialCluster ? { initial_option: initialCluster } : {}) },
    },
    {
      type: 'input',
      block_id: ApprovalBlockIds.rotateOperation,
      label: { type: 'plain_text', text: 'Operation' },
      element: { type: 'static_select', action_id: ApprovalBlockIds.rotateOperationSelect, options: operationOptions, ...(initialOperation ? { initial_option: initialOperation } : {}) },
    },
  ];
  if (input.operation) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Impact*: ${operationSpec(input.operation).impact}` } });
  }
  blocks.push({
    type: 'input',
    block_id: ApprovalBlockIds.rotateReason,
    label: { type: 'plain_text', text: 'Reason' },
    hint: { type: 'plain_text', text: `Approvers read this before they vote: what expires, what breaks otherwise (at most ${MAX_REASON_LENGTH} characters).` },
    element: { type: 'plain_text_input', action_id: ApprovalBlockIds.rotateReasonInput, multiline: true, max_length: MAX_REASON_LENGTH },
  });
  if (needsConfirm) {
    const dangerous = operations.filter(isDangerous).join(', ');
    blocks.push({
      type: 'input',
      block_id: ApprovalBlockIds.rotateConfirm,
      optional: !input.operation,
      label: { type: 'plain_text', text: 'Type the cluster name to confirm' },
      hint: { type: 'plain_text', text: truncate(`Required for dangerous operations (${dangerous}): they can take the cluster down.`, 2000) },
      element: { type: 'plain_text_input', action_id: ApprovalBlockIds.rotateConfirmInput },
    });
  }
  return approvalModal(CallbackIds.rotateModal, { title: 'Request a rotation', submit: 'Request' }, blocks, input.privateMetadata);
}

/** Slack's `response_action: errors` map for the form's fields. */
export function rotateModalErrors(errors: Partial<Record<'cluster' | 'operation' | 'reason' | 'confirm', string>>): Record<string, string> {
  const blockIds = { cluster: ApprovalBlockIds.rotateCluster, operation: ApprovalBlockIds.rotateOperation, reason: ApprovalBlockIds.rotateReason, confirm: ApprovalBlockIds.rotateConfirm };
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [blockIds[field as keyof typeof blockIds], message]));
}
