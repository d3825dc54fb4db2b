import {
  checkRotateForm,
  needsConfirmation,
  parseRotateArgs,
  requestableOperations,
  type RotateFormValues,
} from '../../../src/approvals/rotate-input';
import { validateView } from '../../../src/sandbox/slack';
import { rotateModalErrors, rotateModalView } from '../../../src/approvals/blocks/rotate-modal';
import { ApprovalBlockIds, CallbackIds, rotateParamBlockId } from '../../../src/slack/ids';

const KEY = 'https://kv1.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const VAULT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1';

const clusters = [
  {
    name: 'prod-aks',
    aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'prod', armEndpoint: 'https://management.azure.com' },
  },
  { name: 'lab', kubeadm: { enabled: true, image: 'i', controlPlaneSelector: 'x' } },
  { name: 'plain' },
];

describe('/certs rotate <operation> <cluster> <reason…>', () => {
  it.each([
    [
      'accepts a supported operation with a reason',
      ['aks-rotate-certs', 'prod-aks', 'certs', 'expire', 'Friday'],
      { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'certs expire Friday', params: {} },
    ],
    [
      'accepts a low-risk operation any cluster supports',
      ['reencrypt-secrets', 'plain', 'new key'],
      { cluster: 'plain', operation: 'reencrypt-secrets', reason: 'new key', params: {} },
    ],
    [
      'accepts KMS enable with its key, network access and vault as name=value words before the reason',
      ['kms-enable', 'prod-aks', `key=${KEY}`, 'access=Private', `vault=${VAULT}`, 'etcd', 'at', 'rest'],
      {
        cluster: 'prod-aks',
        operation: 'kms-enable',
        reason: 'etcd at rest',
        params: { keyId: KEY, networkAccess: 'Private', vaultResourceId: VAULT },
      },
    ],
    [
      'fills in Public network access for KMS enable',
      ['kms-enable', 'prod-aks', `key=${KEY}`, 'audit'],
      {
        cluster: 'prod-aks',
        operation: 'kms-enable',
        reason: 'audit',
        params: { keyId: KEY, networkAccess: 'Public' },
      },
    ],
    [
      'accepts "latest" as the key of a key change',
      ['kms-change-key', 'prod-aks', 'key=latest', 'rotation'],
      { cluster: 'prod-aks', operation: 'kms-change-key', reason: 'rotation', params: { keyId: 'latest' } },
    ],
    [
      'accepts KMS disable with no parameters',
      ['kms-disable', 'prod-aks', 'decommission'],
      { cluster: 'prod-aks', operation: 'kms-disable', reason: 'decommission', params: {} },
    ],
  ])('%s', (_name, args, choice) => {
    expect(parseRotateArgs(args, clusters)).toEqual({ ok: true, choice, confirmed: false });
  });

  it.each([
    [
      'a dangerous operation without --confirm goes through the confirmation form',
      ['aks-rotate-certs', 'prod-aks', 'expiring'],
      true,
    ],
    [
      'a dangerous operation with --confirm and the cluster name is requested as it is',
      ['aks-rotate-certs', 'prod-aks', 'expiring', '--confirm', 'prod-aks'],
      false,
    ],
    ['--confirm may stand anywhere after the command', ['--confirm', 'lab', 'kubeadm-renew', 'lab', 'expiring'], false],
    ['a low-risk operation needs no confirmation', ['reencrypt-secrets', 'plain', 'new key'], false],
  ])('%s', (_name, args, formFirst) => {
    const parsed = parseRotateArgs(args, clusters);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.choice.reason).toBe(args.includes('new key') ? 'new key' : 'expiring');
    expect(needsConfirmation(parsed)).toBe(formFirst);
  });

  it.each([
    [
      'a --confirm naming another cluster',
      ['aks-rotate-certs', 'prod-aks', 'expiring', '--confirm', 'lab'],
      'does not match the cluster `prod-aks`',
    ],
    [
      'a --confirm without a name',
      ['aks-rotate-certs', 'prod-aks', 'expiring', '--confirm'],
      '`--confirm` needs the cluster name',
    ],
  ])('refuses %s', (_name, args, problem) => {
    const parsed = parseRotateArgs(args, clusters);
    expect(parsed.ok ? '' : parsed.message).toContain(problem);
  });

  it.each([
    ['refuses an unknown operation', ['frobnicate', 'prod-aks', 'why'], 'Unknown operation `frobnicate`'],
    [
      'refuses a CSR decision, which only CSR cards offer',
      ['csr-approve', 'prod-aks', 'why'],
      'Unknown operation `csr-approve`',
    ],
    ['refuses an unknown cluster', ['aks-rotate-certs', 'nowhere', 'why'], 'Unknown cluster `nowhere`'],
    [
      'refuses an operation the cluster does not support',
      ['aks-rotate-certs', 'lab', 'why'],
      '`aks-rotate-certs` is not supported on cluster `lab`',
    ],
    ['refuses a request without a reason', ['kubeadm-renew', 'lab'], 'a reason is required'],
    ['refuses a lone operation', ['kubeadm-renew'], 'Name an operation, a cluster and a reason'],
    ['refuses KMS enable without a key', ['kms-enable', 'prod-aks', 'why'], '`key=`: required'],
    [
      'refuses an unversioned key id',
      ['kms-enable', 'prod-aks', 'key=https://kv.vault.azure.net/keys/etcd', 'why'],
      '`key=`: expected a versioned Key Vault key id',
    ],
    [
      'refuses Private network access without the vault id',
      ['kms-enable', 'prod-aks', `key=${KEY}`, 'access=Private', 'why'],
      '`vault=`: required for Private',
    ],
    [
      'refuses a vault id that is not a Key Vault resource',
      [
        'kms-set-vault-access',
        'prod-aks',
        'access=Private',
        'vault=/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x',
        'why',
      ],
      '`vault=`: expected the vault',
    ],
    [
      'refuses a parameter the operation does not take',
      ['kms-disable', 'prod-aks', `key=${KEY}`, 'why'],
      '`kms-disable` takes no `key=`',
    ],
    [
      'refuses an unknown network mode',
      ['kms-set-vault-access', 'prod-aks', 'access=Open', 'why'],
      '`access=`: expected Public or Private',
    ],
  ])('%s, and shows the usage and the valid choices', (_name, args, problem) => {
    const parsed = parseRotateArgs(args, clusters);
    expect(parsed.ok).toBe(false);
    const message = parsed.ok ? '' : parsed.message;
    expect(message).toContain(problem);
    expect(message).toContain('/certs rotate <operation> <cluster> [name=value …] <reason…>');
    expect(message).toContain(
      '`prod-aks`: `aks-rotate-certs`, `kms-enable key=<key id> [access=Public|Private] [vault=<vault resource id>]`, `kms-change-key key=<key id>`',
    );
    expect(message).toContain('`lab`: `kubeadm-renew`, `reencrypt-secrets`');
  });

  it('never offers CSR operations as rotations', () => {
    expect(requestableOperations(clusters[0] as never)).toEqual([
      'aks-rotate-certs',
      'kms-enable',
      'kms-change-key',
      'kms-set-vault-access',
      'kms-disable',
      'reencrypt-secrets',
    ]);
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
    expect(selectOptions(view, ApprovalBlockIds.rotateOperation)).toEqual([
      'aks-rotate-certs',
      'kms-enable',
      'kms-change-key',
      'kms-set-vault-access',
      'kms-disable',
      'reencrypt-secrets',
      'kubeadm-renew',
    ]);
  });

  it('prefilled for a cluster, offers only what that cluster supports and asks for the typed confirmation', () => {
    const view = rotateModalView({
      clusters,
      cluster: 'lab',
      operation: 'kubeadm-renew',
      privateMetadata: '{"channel":"C1"}',
    });
    expect(validateView(view)).toEqual([]);
    expect(selectOptions(view, ApprovalBlockIds.rotateOperation)).toEqual(['kubeadm-renew', 'reencrypt-secrets']);
    const confirm = view.blocks.find((b) => b.block_id === ApprovalBlockIds.rotateConfirm) as
      { optional?: boolean } | undefined;
    expect(confirm).toBeDefined();
    expect(confirm?.optional).toBeUndefined();
    expect(JSON.stringify(view)).toContain('"initial_option"');
    expect(view.private_metadata).toBe('{"channel":"C1"}');
  });

  it("asks for exactly the chosen KMS operation's parameters, each a valid input that Slack redraws on a pick", () => {
    const view = rotateModalView({ clusters, cluster: 'prod-aks', operation: 'kms-enable', params: { keyId: KEY } });
    expect(validateView(view)).toEqual([]);
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        rotateParamBlockId('keyId'),
        rotateParamBlockId('networkAccess'),
        rotateParamBlockId('vaultResourceId'),
      ]),
    );
    expect(JSON.stringify(view.blocks.find((b) => b.block_id === rotateParamBlockId('keyId')))).toContain(KEY);
    const selects = view.blocks.filter(
      (b) => b.block_id === ApprovalBlockIds.rotateCluster || b.block_id === ApprovalBlockIds.rotateOperation,
    ) as Array<{ dispatch_action?: boolean }>;
    expect(selects.map((b) => b.dispatch_action)).toEqual([true, true]);
    const disable = rotateModalView({ clusters, cluster: 'prod-aks', operation: 'kms-disable' });
    expect(disable.blocks.some((b) => b.block_id?.startsWith(ApprovalBlockIds.rotateParam))).toBe(false);
  });

  it('drops an operation the newly picked cluster does not offer, with its parameters', () => {
    const view = rotateModalView({ clusters, cluster: 'lab', operation: 'kms-enable' });
    expect(selectOptions(view, ApprovalBlockIds.rotateOperation)).toEqual(['kubeadm-renew', 'reencrypt-secrets']);
    expect(view.blocks.some((b) => b.block_id?.startsWith(ApprovalBlockIds.rotateParam))).toBe(false);
  });

  it('marks the confirmation required whenever it offers a dangerous operation, so Slack never labels it optional', () => {
    const view = rotateModalView({ clusters });
    const confirm = view.blocks.find((b) => b.block_id === ApprovalBlockIds.rotateConfirm) as
      { optional?: boolean; hint?: { text: string } } | undefined;
    expect(confirm?.optional).toBeUndefined();
    expect(confirm?.hint?.text).toContain('Dangerous operations are confirmed by typing the cluster name');
  });

  it('carries a prefilled reason from the one-line command', () => {
    const view = rotateModalView({
      clusters,
      cluster: 'prod-aks',
      operation: 'aks-rotate-certs',
      reason: 'expires Friday',
    });
    expect(JSON.stringify(view)).toContain('"initial_value":"expires Friday"');
    expect(validateView(view)).toEqual([]);
  });

  it('asks no confirmation for a prefilled low-risk operation', () => {
    const view = rotateModalView({ clusters, cluster: 'plain', operation: 'reencrypt-secrets' });
    expect(view.blocks.some((b) => b.block_id === ApprovalBlockIds.rotateConfirm)).toBe(false);
  });
});

describe('the rotation modal on submission', () => {
  it.each([
    [
      'accepts a dangerous operation confirmed with the cluster name',
      { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'expiring', confirm: 'prod-aks' },
      {},
    ],
    [
      'accepts a low-risk operation without a confirmation',
      { cluster: 'plain', operation: 'reencrypt-secrets', reason: 'new key' },
      {},
    ],
    [
      'refuses a dangerous operation without the typed cluster name',
      { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'expiring' },
      { confirm: 'type the cluster name (prod-aks)' },
    ],
    [
      'refuses a dangerous operation with another name typed',
      { cluster: 'prod-aks', operation: 'aks-rotate-certs', reason: 'expiring', confirm: 'prod' },
      { confirm: 'That is not prod-aks' },
    ],
    [
      'refuses a low-risk operation when a wrong name was typed',
      { cluster: 'plain', operation: 'reencrypt-secrets', reason: 'new key', confirm: 'lab' },
      { confirm: 'That is not plain' },
    ],
    [
      'refuses an operation the chosen cluster does not support',
      { cluster: 'lab', operation: 'aks-rotate-certs', reason: 'x' },
      { operation: 'aks-rotate-certs is not supported on cluster lab' },
    ],
    [
      'refuses a blank reason',
      { cluster: 'plain', operation: 'reencrypt-secrets', reason: '   ' },
      { reason: 'Say why' },
    ],
    [
      'refuses a missing cluster and operation',
      { reason: 'x' },
      { cluster: 'Pick a cluster', operation: 'Pick an operation' },
    ],
    [
      'accepts KMS enable with a key id',
      {
        cluster: 'prod-aks',
        operation: 'kms-enable',
        reason: 'x',
        confirm: 'prod-aks',
        params: { keyId: KEY, networkAccess: 'Public' },
      },
      {},
    ],
    [
      'refuses KMS enable with neither key nor, for Private, a vault, each under its own field',
      {
        cluster: 'prod-aks',
        operation: 'kms-enable',
        reason: 'x',
        confirm: 'prod-aks',
        params: { networkAccess: 'Private' },
      },
      { 'param:keyId': 'required', 'param:vaultResourceId': 'required for Private' },
    ],
    [
      'refuses a key change to a key name without version',
      { cluster: 'prod-aks', operation: 'kms-change-key', reason: 'x', confirm: 'prod-aks', params: { keyId: 'etcd' } },
      { 'param:keyId': 'expected "latest" or a versioned' },
    ],
    [
      'refuses a vault access change without a mode',
      { cluster: 'prod-aks', operation: 'kms-set-vault-access', reason: 'x', confirm: 'prod-aks' },
      { 'param:networkAccess': 'required' },
    ],
  ] as Array<[string, RotateFormValues, Record<string, string>]>)('%s', (_name, values, expectedErrors) => {
    const checked = checkRotateForm(values, clusters);
    if (Object.keys(expectedErrors).length === 0) {
      expect(checked).toMatchObject({ ok: true, choice: { cluster: values.cluster, operation: values.operation } });
      return;
    }
    expect(checked.ok).toBe(false);
    const errors = checked.ok ? {} : checked.errors;
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expectedErrors).sort());
    for (const [field, text] of Object.entries(expectedErrors))
      expect(errors[field as keyof typeof errors]).toContain(text);
  });

  it('maps field errors onto the blocks Slack shows them under', () => {
    expect(rotateModalErrors({ confirm: 'type it', reason: 'why', 'param:keyId': 'bad key' })).toEqual({
      [ApprovalBlockIds.rotateConfirm]: 'type it',
      [ApprovalBlockIds.rotateReason]: 'why',
      [rotateParamBlockId('keyId')]: 'bad key',
    });
  });
});
