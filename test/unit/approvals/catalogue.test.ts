import { configSchema } from '../../../src/config/schema';
import {
  CATALOGUE,
  OPERATION_IDS,
  operationsFor,
  requiredApprovals,
  supportsOperation,
  validateApprovalPolicy,
  type OperationId,
} from '../../../src/core/operations';

const base = { name: 'prod', approvals: {}, allowSinglePersonApproval: false };

describe('the operation catalogue', () => {
  it('describes every operation id the configuration accepts', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...OPERATION_IDS].sort());
    for (const op of OPERATION_IDS) expect(CATALOGUE[op].id).toBe(op);
  });

  it('marks exactly the operations that can take a cluster down or hand out cluster-admin as dangerous', () => {
    const dangerous = OPERATION_IDS.filter((op) => CATALOGUE[op].dangerous);
    expect(dangerous.sort()).toEqual([
      'access-grant',
      'aks-rotate-certs',
      'csr-approve-high-risk',
      'kms-change-key',
      'kms-disable',
      'kms-enable',
      'kms-rotate-key',
      'kms-set-vault-access',
      'kubeadm-renew',
    ]);
  });

  const defaults: Array<[OperationId, number]> = [
    ['aks-rotate-certs', 2],
    ['kms-rotate-key', 2],
    ['kubeadm-renew', 2],
    ['csr-approve-high-risk', 2],
    ['reencrypt-secrets', 1],
    ['csr-approve', 1],
    ['csr-deny', 1],
    ['access-grant', 2],
    ['kms-enable', 2],
    ['kms-change-key', 2],
    ['kms-set-vault-access', 2],
    ['kms-disable', 2],
  ];
  it.each(defaults)('%s needs %i approval(s) by default', (op, n) => {
    expect(requiredApprovals(op, base)).toEqual({ required: n });
  });

  it('warns approvers that AKS rotation breaks every kubeconfig', () => {
    expect(CATALOGUE['aks-rotate-certs'].impact).toMatch(/30 minutes/);
    expect(CATALOGUE['aks-rotate-certs'].impact).toMatch(/x509: certificate signed by unknown authority/);
    expect(CATALOGUE['aks-rotate-certs'].impact).toMatch(/az aks get-credentials --overwrite-existing/);
  });

  const support: Array<[string, OperationId, object, boolean]> = [
    ['AKS rotation runs on an AKS cluster', 'aks-rotate-certs', { aks: {} }, true],
    ['AKS rotation does not run on a kubeadm cluster', 'aks-rotate-certs', { kubeadm: { enabled: true } }, false],
    ['KMS rotation needs a KMS key', 'kms-rotate-key', { aks: {} }, false],
    ['KMS rotation runs where a KMS key is configured', 'kms-rotate-key', { aks: {}, kms: {} }, true],
    ['kubeadm renewal needs kubeadm enabled', 'kubeadm-renew', { kubeadm: { enabled: false } }, false],
    ['kubeadm renewal runs on a kubeadm cluster', 'kubeadm-renew', { kubeadm: { enabled: true } }, true],
    ['temporary access needs access levels', 'access-grant', { kubeadm: { enabled: true } }, false],
    [
      'temporary access runs where access levels are configured',
      'access-grant',
      { access: { levels: [{ name: 'view' }] } },
      true,
    ],
    ['CSR decisions run on any cluster', 'csr-deny', {}, true],
    ['KMS enable runs on an AKS cluster without a configured key', 'kms-enable', { aks: {} }, true],
    ['KMS enable does not run on a kubeadm cluster', 'kms-enable', { kubeadm: { enabled: true } }, false],
    ['KMS key change does not run on a plain cluster', 'kms-change-key', {}, false],
    ['vault access change runs on an AKS cluster', 'kms-set-vault-access', { aks: {} }, true],
    ['KMS disable does not run on a kubeadm cluster', 'kms-disable', { kubeadm: { enabled: true } }, false],
  ];
  it.each(support)('%s', (_name, op, cluster, expected) => {
    expect(supportsOperation(op, cluster as never)).toBe(expected);
  });

  it('offers an AKS+KMS cluster its operations in catalogue order', () => {
    expect(operationsFor({ aks: {}, kms: {} })).toEqual([
      'aks-rotate-certs',
      'kms-rotate-key',
      'kms-enable',
      'kms-change-key',
      'kms-set-vault-access',
      'kms-disable',
      'reencrypt-secrets',
      'csr-approve',
      'csr-approve-high-risk',
      'csr-deny',
    ]);
  });

  it('validates parameters with defaults and refuses unknown ones', () => {
    expect(CATALOGUE['kms-rotate-key'].params.parse({})).toEqual({ reencrypt: true });
    expect(CATALOGUE['kubeadm-renew'].params.safeParse({ certificates: ['apiserver', 'etcd-peer'] }).success).toBe(
      true,
    );
    expect(CATALOGUE['kubeadm-renew'].params.safeParse({ certificates: ['ca'] }).success).toBe(false);
    expect(CATALOGUE['csr-approve'].params.safeParse({}).success).toBe(false);
  });
});

describe('required approvals', () => {
  it('lets an override raise a dangerous operation', () => {
    expect(requiredApprovals('aks-rotate-certs', { ...base, approvals: { 'aks-rotate-certs': 3 } })).toEqual({
      required: 3,
    });
  });

  it('lets an override raise a low-risk operation', () => {
    expect(requiredApprovals('csr-approve', { ...base, approvals: { 'csr-approve': 2 } })).toEqual({ required: 2 });
  });

  it('refuses to lower a dangerous operation below two without the opt-in, keeping the default', () => {
    const result = requiredApprovals('kubeadm-renew', { ...base, approvals: { 'kubeadm-renew': 1 } });
    expect(result.required).toBe(2);
    expect(result.warning).toMatch(/allowSinglePersonApproval/);
  });

  it('lowers a dangerous operation with the opt-in, and warns', () => {
    const result = requiredApprovals('kubeadm-renew', {
      ...base,
      approvals: { 'kubeadm-renew': 1 },
      allowSinglePersonApproval: true,
    });
    expect(result.required).toBe(1);
    expect(result.warning).toMatch(/two-person rule is off/);
  });
});

describe('start-up review of the approval policy', () => {
  const config = (clusters: unknown[], approvers: string[] = ['@sre']) =>
    configSchema.parse({
      slack: { roles: { approvers } },
      clusters: clusters.map((c) => ({ kubeconfig: '/k', ...(c as object) })),
    });

  it('finds nothing wrong with defaults and an approver group', () => {
    expect(validateApprovalPolicy(config([{ name: 'prod' }]))).toEqual([]);
  });

  it('reports a refused override as an error and an opted-in one as a warning', () => {
    const findings = validateApprovalPolicy(
      config([
        { name: 'a', approvals: { 'kms-rotate-key': 1 } },
        { name: 'b', approvals: { 'kms-rotate-key': 1 }, allowSinglePersonApproval: true },
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({ level: 'error', cluster: 'a', operation: 'kms-rotate-key' }),
      expect.objectContaining({ level: 'warning', cluster: 'b', operation: 'kms-rotate-key' }),
    ]);
  });

  it('warns when fewer approvers exist than a dangerous request needs', () => {
    const findings = validateApprovalPolicy(config([{ name: 'prod' }], ['UONLYONE']));
    expect(findings).toEqual([
      expect.objectContaining({
        level: 'warning',
        cluster: 'prod',
        message: expect.stringMatching(/: 1 approver configured but dangerous operations need 2/),
      }),
    ]);
  });
});
