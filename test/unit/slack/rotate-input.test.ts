import { checkRotateForm, parseRotateArgs, requestableOperations, type RotateFormValues } from '../../../src/approvals/rotate-input';
import { validateView } from '../../../src/sandbox/slack';
import { rotateModalErrors, rotateModalView } from '../../../src/slack/blocks/rotate-modal';
import { ApprovalBlockIds, CallbackIds } from '../../../src/slack/ids';

const clusters = [
  { name: 'prod-aks', aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' } },
  { name: 'lab', kubeadm: { enabled: true, image: 'i', controlPlaneSelector: 'x' } },
  { name: 'plain' },
];

describe('/certs rotate <operation> <cluster> <reason…>', () => {
  it.each([
    ['accepts a supported operation with a reason', ['aks-rotate-certs', 'prod-aks', 'certs', 'expire', 'Friday'], { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'certs expire Friday' }],
    ['accepts a low-risk operation any cluster supports', ['reencrypt-secrets', 'plain', 'new key'], { cluster: 'plain', operation: 'reencrypt-secrets', reason: 'new key' }],
  ])('%s', (_name, args, choice) => {
    expect(parseRotateArgs(args, clusters)).toEqual({ ok: true, choice });
  });

  it.each([
    ['refuses an unknown operation', ['frobnicate', 'prod-aks', 'why'], 'Unknown operation `frobnicate`'],
    ['refuses a CSR decision, which only CSR cards offer', ['csr-approve', 'prod-aks', 'why'], 'Unknown operation `csr-approve`'],
    ['refuses an unknown cluster', ['aks-rotate-certs', 'nowhere', 'why'], 'Unknown cluster `nowhere`'],
    ['refuses an operation the cluster does not support', ['aks-rotate-certs', 'lab', 'why'], '`aks-rotate-certs` is not supported on cluster `lab`'],
    ['refuses a request without a reason', ['kubeadm-renew', 'lab'], 'a reason is required'],
    ['refuses a lone operation', ['kubeadm-renew'], 'Name an operation, a cluster and a reason'],
  ])('%s, and shows the usage and the valid choices', (_name, args, problem) => {
    const parsed = parseRotateArgs(args, clusters);
    expect(parsed.ok).toBe(false);
    const message = parsed.ok ? '' : parsed.message;
    expect(message).toContain(problem);
    expect(message).toContain('/certs rotate <operation> <cluster> <reason…>');
    expect(message).toContain('`prod-aks`: `aks-rotate-certs`, `reencrypt-secrets`');
    expect(message).toContain('`lab`: `kubeadm-renew`, `reencrypt-secrets`');
  });

  it('never offers CSR operations as rotations', () => {
    expect(requestableOperations(clusters[0] as never)).toEqual(['aks-rotate-certs', 'reencrypt-secrets']);
  });
});

type Opt = { value: string };
function selectOptions(view: ReturnType<typeof rotateModalView>, blockId: string): string[] {
  const block = view.blocks.find((b) => b.block_id === blockId) as { element: { options: Opt[] } } | undefined;
  return block?.element.options.map((o) => o.value) ?? [];
}

describe('the rotation modal', () => {
  it('is a valid modal listing only the configured clusters', () => {
    const view = rotateModalView({ clusters });
    expect(validateView(view)).toEqual([]);
    expect(view.callback_id).toBe(CallbackIds.rotateModal);
    expect(selectOptions(view, ApprovalBlockIds.rotateCluster)).toEqual(['prod-aks', 'lab', 'plain']);
    expect(selectOptions(view, ApprovalBlockIds.rotateOperation)).toEqual(['aks-rotate-certs', 'reencrypt-secrets', 'kubeadm-renew']);
  });

  it('prefilled for a cluster, offers only what that cluster supports and asks for the typed confirmation', () => {
    const view = rotateModalView({ clusters, cluster: 'lab', operation: 'kubeadm-renew', privateMetadata: '{"channel":"C1"}' });
    expect(validateView(view)).toEqual([]);
    expect(selectOptions(view, ApprovalBlockIds.rotateOperation)).toEqual(['kubeadm-renew', 'reencrypt-secrets']);
    const confirm = view.blocks.find((b) => b.block_id === ApprovalBlockIds.rotateConfirm) as { optional?: boolean } | undefined;
    expect(confirm?.optional).toBe(false);
    expect(JSON.stringify(view)).toContain('"initial_option"');
    expect(view.private_metadata).toBe('{"channel":"C1"}');
  });

  it('asks no confirmation for a prefilled low-risk operation', () => {
    const view = rotateModalView({ clusters, cluster: 'plain', operation: 'reencrypt-secrets' });
    expect(view.blocks.some((b) => b.block_id === ApprovalBlockIds.rotateConfirm)).toBe(false);
  });
});

describe('the rotation modal on submission', () => {
  it.each([
    ['accepts a dangerous operation confirmed with the cluster name', { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'expiring', confirm: 'prod-aks' }, {}],
    ['accepts a low-risk operation without a confirmation', { cluster: 'plain', operation: 'reencrypt-secrets', reason: 'new key' }, {}],
    ['refuses a dangerous operation without the typed cluster name', { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'expiring', confirm: 'prod' }, { confirm: 'type the cluster name (prod-aks)' }],
    ['refuses an operation the chosen cluster does not support', { cluster: 'lab', operation: 'aks-rotate-certs', reason: 'x' }, { operation: 'aks-rotate-certs is not supported on cluster lab' }],
    ['refuses a blank reason', { cluster: 'plain', operation: 'reencrypt-secrets', reason: '   ' }, { reason: 'Say why' }],
    ['refuses a missing cluster and operation', { reason: 'x' }, { cluster: 'Pick a cluster', operation: 'Pick an operation' }],
  ] as Array<[string, RotateFormValues, Record<string, string>]>)('%s', (_name, values, expectedErrors) => {
    const checked = checkRotateForm(values, clusters);
    if (Object.keys(expectedErrors).length === 0) {
      expect(checked).toMatchObject({ ok: true, choice: { cluster: values.cluster, operation: values.operation } });
      return;
    }
    expect(checked.ok).toBe(false);
    const errors = checked.ok ? {} : checked.errors;
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expectedErrors).sort());
    for (const [field, text] of Object.entries(expectedErrors)) expect(errors[field as keyof typeof errors]).toContain(text);
  });

  it('maps field errors onto the blocks Slack shows them under', () => {
    expect(rotateModalErrors({ confirm: 'type it', reason: 'why' })).toEqual({ [ApprovalBlockIds.rotateConfirm]: 'type it', [ApprovalBlockIds.rotateReason]: 'why' });
  });
});
