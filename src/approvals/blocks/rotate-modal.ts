import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ClusterConfig } from '../../config/schema';
import { CONFIRM_RULE, requestableOperations } from '../rotate-input';
import { MAX_REASON_LENGTH } from '../../core/approvals';
import { isDangerous, operationSpec, paramFields, type OperationId, type ParamField } from '../../core/operations';
import type { RotateFormField } from '../rotate-input';
import { ApprovalBlockIds, CallbackIds, rotateParamBlockId, rotateParamInputId } from '../../slack/ids';
import { approvalModal } from './approval-modal';
import { plain } from '../../slack/escape';
import { truncate } from './approval-text';

export interface RotateModalInput {
  clusters: ReadonlyArray<Pick<ClusterConfig, 'name' | 'aks' | 'kms' | 'kubeadm'>>;
  /** Prefilled choices (the Rotate… button on a cluster or certificate). */
  cluster?: string;
  operation?: OperationId;
  /** Parameter answers to keep when the form is redrawn for another choice. */
  params?: Record<string, string>;
  /** Prefilled reason (a one-line command sent here to confirm a dangerous operation, or a form being redrawn). */
  reason?: string;
  /** The confirmation already typed, kept when the form is redrawn for another choice (checked on submission). */
  confirm?: string;
  /** Carried back on submission (the channel to answer in). */
  privateMetadata?: string;
}

function option(value: string, text: string): PlainTextOption {
  return { text: { type: 'plain_text', text: plain(text, 75) }, value };
}

function operationOption(op: OperationId): PlainTextOption {
  return {
    ...option(op, `${op}${isDangerous(op) ? ' (dangerous)' : ''}`),
    description: { type: 'plain_text', text: truncate(operationSpec(op).description, 75) },
  };
}

/** Operations to offer: the prefilled cluster's, or those of any cluster (checked against the cluster on submission). */
function offeredOperations(input: RotateModalInput): OperationId[] {
  const chosen = input.clusters.find((c) => c.name === input.cluster);
  const sources = chosen ? [chosen] : input.clusters;
  return [...new Set(sources.flatMap((c) => requestableOperations(c)))];
}

/** One parameter input: a choice where the catalogue allows only a few values, else text. */
function paramBlock(field: ParamField, answer: string | undefined): KnownBlock {
  const initial = answer ?? field.initial;
  const element = field.options
    ? {
        type: 'static_select' as const,
        action_id: rotateParamInputId(field.key),
        options: field.options.map((o) => option(o, o)),
        ...(initial && field.options.includes(initial) ? { initial_option: option(initial, initial) } : {}),
      }
    : {
        type: 'plain_text_input' as const,
        action_id: rotateParamInputId(field.key),
        ...(initial ? { initial_value: initial } : {}),
      };
  return {
    type: 'input',
    block_id: rotateParamBlockId(field.key),
    optional: field.optional,
    label: { type: 'plain_text', text: field.label },
    hint: { type: 'plain_text', text: truncate(field.hint, 2000) },
    element,
  };
}

/**
 * The rotation request form: cluster, operation, the operation's parameters, reason, and a typed confirmation for
 * dangerous operations. Picking a cluster or an operation redraws it (dispatch_action), so it offers only what the
 * cluster supports and asks for exactly the chosen operation's parameters.
 */
export function rotateModalView(input: RotateModalInput): ModalView {
  const clusterOptions = input.clusters.map((c) => option(c.name, c.name)).slice(0, 100);
  const operations = offeredOperations(input);
  // An operation the chosen cluster does not offer is dropped, with its parameters.
  const operation = input.operation && operations.includes(input.operation) ? input.operation : undefined;
  const operationOptions = operations.map(operationOption).slice(0, 100);
  const initialCluster = clusterOptions.find((o) => o.value === input.cluster);
  const initialOperation = operationOptions.find((o) => o.value === operation);
  const needsConfirm = operation ? isDangerous(operation) : operations.some(isDangerous);
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: ApprovalBlockIds.rotateCluster,
      label: { type: 'plain_text', text: 'Cluster' },
      dispatch_action: true,
      element: {
        type: 'static_select',
        action_id: ApprovalBlockIds.rotateClusterSelect,
        options: clusterOptions,
        ...(initialCluster ? { initial_option: initialCluster } : {}),
      },
    },
    {
      type: 'input',
      block_id: ApprovalBlockIds.rotateOperation,
      label: { type: 'plain_text', text: 'Operation' },
      dispatch_action: true,
      element: {
        type: 'static_select',
        action_id: ApprovalBlockIds.rotateOperationSelect,
        options: operationOptions,
        ...(initialOperation ? { initial_option: initialOperation } : {}),
      },
    },
  ];
  if (operation) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Impact*: ${operationSpec(operation).impact}` } });
    for (const field of paramFields(operation)) blocks.push(paramBlock(field, input.params?.[field.key]));
  }
  blocks.push({
    type: 'input',
    block_id: ApprovalBlockIds.rotateReason,
    label: { type: 'plain_text', text: 'Reason' },
    hint: {
      type: 'plain_text',
      text: `Approvers read this before they vote: what expires, what breaks otherwise (at most ${MAX_REASON_LENGTH} characters).`,
    },
    element: {
      type: 'plain_text_input',
      action_id: ApprovalBlockIds.rotateReasonInput,
      multiline: true,
      max_length: MAX_REASON_LENGTH,
      ...(input.reason ? { initial_value: input.reason.slice(0, MAX_REASON_LENGTH) } : {}),
    },
  });
  if (needsConfirm) {
    // Required whenever the form offers a dangerous operation, so the label is true whatever is picked.
    const dangerous = operations.filter(isDangerous).join(', ');
    blocks.push({
      type: 'input',
      block_id: ApprovalBlockIds.rotateConfirm,
      label: { type: 'plain_text', text: 'Type the cluster name to confirm' },
      hint: {
        type: 'plain_text',
        text: truncate(`${CONFIRM_RULE} (${dangerous}): they can take the cluster down.`, 2000),
      },
      element: {
        type: 'plain_text_input',
        action_id: ApprovalBlockIds.rotateConfirmInput,
        ...(input.confirm ? { initial_value: input.confirm.slice(0, 200) } : {}),
      },
    });
  }
  return approvalModal(
    CallbackIds.rotateModal,
    { title: 'Request a rotation', submit: 'Request' },
    blocks,
    input.privateMetadata,
  );
}

/** Slack's `response_action: errors` map for the form's fields. */
export function rotateModalErrors(errors: Partial<Record<RotateFormField, string>>): Record<string, string> {
  const blockIds: Record<string, string> = {
    cluster: ApprovalBlockIds.rotateCluster,
    operation: ApprovalBlockIds.rotateOperation,
    reason: ApprovalBlockIds.rotateReason,
    confirm: ApprovalBlockIds.rotateConfirm,
  };
  const mapped: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    if (message === undefined) continue;
    mapped[
      field.startsWith('param:') ? rotateParamBlockId(field.slice('param:'.length)) : (blockIds[field] as string)
    ] = message;
  }
  return mapped;
}
