import { CertificatesV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { UnrecoverableError } from 'bullmq';
import { ACCESS_EXPIRES_LABEL, ACCESS_REQUEST_LABEL, accessObjectName } from '../../../src/core/access';
import { accessClusterApi } from '../../../src/operations/access/access-cluster-api';
import {
  AccessNotIssuedError,
  grantAccess,
  type AccessDelivery,
  type ApprovedAccess,
  type GrantAccessInput,
} from '../../../src/operations/access/grant-access';
import { silentProgress } from '../../../src/operations/progress-reporter';
import type { KubeSim } from '../../../src/sandbox/kube';
import { AccessGrantStore } from '../../../src/state/access-grants';
import { silentLogger } from '../../../src/util/logger';
import { kubeConfigFor, startSim } from '../../sandbox/kube/helpers';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const access = (requestId: string): ApprovedAccess => ({
  requestId,
  cluster: 'prod',
  level: 'view',
  roleRef: { kind: 'ClusterRole', name: 'view' },
  durationSeconds: 1800,
  requester: { id: 'U0OSCAR', name: 'oscar' },
  approvers: ['alice', 'bob'],
});

/** What a delivery meets when the connection drops mid-call. */
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function kubeconfigClient(yaml: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc.makeApiClient(CoreV1Api);
}

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    return (err as { code?: number }).code ?? 0;
  }
}

describe('granting temporary access on a cluster', () => {
  let sim: KubeSim;
  let redis: TestRedis;
  let grants: AccessGrantStore;
  let audit: Array<{ action: string; outcome: string }>;
  /** Every binding write the API server stored, to prove none ever lacked its expiry. */
  let bindingWrites: Array<Record<string, string> | undefined>;

  beforeAll(async () => {
    sim = await startSim();
    redis = await openTestRedis('grant-access');
    grants = new AccessGrantStore(redis.redis, { prefix: redis.prefix });
  });
  afterAll(async () => {
    await sim.stop();
    await redis.cleanup();
  });
  beforeEach(() => {
    audit = [];
    bindingWrites = [];
  });

  function input(
    requestId: string,
    overrides: Partial<GrantAccessInput> = {},
  ): GrantAccessInput & { delivered: AccessDelivery[] } {
    const delivered: AccessDelivery[] = [];
    return {
      access: access(requestId),
      api: accessClusterApi(kubeConfigFor(sim)),
      grants,
      deliver: (d) => {
        const binding = sim.store.clusterRoleBindings.get(accessObjectName(requestId));
        bindingWrites.push(binding?.metadata.labels);
        delivered.push(d);
        return Promise.resolve();
      },
      audit: (e) => {
        audit.push(e);
        return Promise.resolve();
      },
      progress: silentProgress,
      logger: silentLogger(),
      now: () => new Date(),
      issueTimeoutMs: 5_000,
      finalAttempt: false,
      delivered,
      ...overrides,
    };
  }

  it('issues a certificate for certops:<user> in a group of its own, binds the role with its expiry, and delivers a working kubeconfig', async () => {
    const run = input('RACCESS001');
    const result = await grantAccess(run);
    const csr = await kubeConfigFor(sim)
      .makeApiClient(CertificatesV1Api)
      .readCertificateSigningRequest({ name: 'certops-access-raccess001' });
    expect(csr.spec.expirationSeconds).toBe(1800);
    expect(csr.spec.signerName).toBe('kubernetes.io/kube-apiserver-client');
    expect(csr.metadata?.labels?.[ACCESS_REQUEST_LABEL]).toBe('RACCESS001');

    const binding = sim.store.clusterRoleBindings.get('certops-access-raccess001');
    expect(binding?.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'certops:access:RACCESS001' },
    ]);
    expect(binding?.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(Number(binding?.metadata.labels?.[ACCESS_EXPIRES_LABEL]) * 1000).toBe(
      Date.parse(result.grant.expiresAt ?? ''),
    );

    expect(run.delivered).toHaveLength(1);
    const delivery = run.delivered[0] as AccessDelivery;
    expect(delivery.userId).toBe('U0OSCAR');
    expect(delivery.expiresAt).toBe(result.grant.expiresAt);
    const asRequester = kubeconfigClient(delivery.kubeconfig);
    expect(await status(asRequester.listNamespacedPod({ namespace: 'default' }))).toBe(200);
    expect(await status(asRequester.listNamespacedSecret({ namespace: 'default' }))).toBe(403);

    expect((await grants.get('RACCESS001'))?.state).toBe('active');
    expect(audit.map((e) => e.action)).toEqual(['issued', 'bound', 'delivered']);
    // The key went to the requester only: not into the audit trail, the grant record or the job result.
    const stored = JSON.stringify([audit, await grants.get('RACCESS001'), result.grant]);
    expect(delivery.kubeconfig).toContain('client-key-data');
    expect(stored).not.toMatch(/PRIVATE KEY|client-key-data/);
  });

  it('after a worker died between binding and delivery, the next attempt issues a fresh key, re-binds with its expiry and delivers', async () => {
    const first = input('RACCESS002', {
      deliver: () => {
        bindingWrites.push(sim.store.clusterRoleBindings.get('certops-access-raccess002')?.metadata.labels);
        return Promise.reject(connectionReset());
      },
    });
    await expect(grantAccess(first)).rejects.toThrow('ECONNRESET');
    // The dead attempt left a binding, with its expiry: the sweeper can always end it.
    const left = sim.store.clusterRoleBindings.get('certops-access-raccess002');
    expect(left?.metadata.labels?.[ACCESS_EXPIRES_LABEL]).toMatch(/^\d+$/);

    const second = input('RACCESS002');
    const result = await grantAccess(second);
    expect(second.delivered).toHaveLength(1);
    expect(
      await status(
        kubeconfigClient((second.delivered[0] as AccessDelivery).kubeconfig).listNamespacedPod({
          namespace: 'default',
        }),
      ),
    ).toBe(200);
    expect(
      sim.store.clusterRoleBindings.list().filter((b) => b.metadata.labels?.[ACCESS_REQUEST_LABEL] === 'RACCESS002'),
    ).toHaveLength(1);
    expect(
      Number(sim.store.clusterRoleBindings.get('certops-access-raccess002')?.metadata.labels?.[ACCESS_EXPIRES_LABEL]) *
        1000,
    ).toBe(Date.parse(result.grant.expiresAt ?? ''));
    expect(bindingWrites.every((labels) => /^\d+$/.test(labels?.[ACCESS_EXPIRES_LABEL] ?? ''))).toBe(true);
  });

  it('on the last attempt a failure removes the binding and ends the grant, so nobody keeps access nobody was told about', async () => {
    const last = input('RACCESS003', {
      finalAttempt: true,
      deliver: () => Promise.reject(connectionReset()),
    });
    await expect(grantAccess(last)).rejects.toThrow('ECONNRESET');
    expect(sim.store.clusterRoleBindings.get('certops-access-raccess003')).toBeUndefined();
    expect((await grants.get('RACCESS003'))?.state).toBe('failed');
  });

  it('says so, with the CSR condition, when the signer refuses, and leaves no binding', async () => {
    sim.setSignerMode('kubernetes.io/kube-apiserver-client', {
      refuse: 'client certificates are not issued by this control plane',
    });
    try {
      const error = await grantAccess(input('RACCESS004')).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(AccessNotIssuedError);
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect((error as Error).message).toBe(
        "the cluster's signer did not issue the certificate: signing failed (reason SignerValidationFailure): client certificates are not issued by this control plane",
      );
      expect(sim.store.clusterRoleBindings.get('certops-access-raccess004')).toBeUndefined();
      expect((await grants.get('RACCESS004'))?.state).toBe('failed');
    } finally {
      sim.setSignerMode('kubernetes.io/kube-apiserver-client', 'sign');
    }
  });

  it('gives up when the signer never issues, naming the CSR, and leaves no binding', async () => {
    sim.setSignerMode('kubernetes.io/kube-apiserver-client', 'never');
    let clock = Date.now();
    try {
      const run = input('RACCESS005', {
        now: () => new Date(clock),
        sleep: (ms) => {
          clock += ms;
          return Promise.resolve();
        },
        issueTimeoutMs: 30_000,
      });
      await expect(grantAccess(run)).rejects.toThrow(
        'the signer kubernetes.io/kube-apiserver-client issued no certificate within 30 s (CSR certops-access-raccess005 is approved but unsigned',
      );
      expect(sim.store.clusterRoleBindings.get('certops-access-raccess005')).toBeUndefined();
      expect(run.delivered).toHaveLength(0);
    } finally {
      sim.setSignerMode('kubernetes.io/kube-apiserver-client', 'sign');
    }
  });

  it('never re-creates access that was revoked while the worker was away', async () => {
    const first = input('RACCESS006', {
      deliver: () => Promise.reject(connectionReset()),
    });
    await expect(grantAccess(first)).rejects.toThrow();
    const grant = await grants.get('RACCESS006');
    await grants.end({ ...(grant as NonNullable<typeof grant>), state: 'revoked', endedAt: new Date().toISOString() });
    const retry = input('RACCESS006');
    const result = await grantAccess(retry);
    expect(result.message).toContain('revoked before the kubeconfig was delivered');
    expect(retry.delivered).toHaveLength(0);
    expect(sim.store.clusterRoleBindings.get('certops-access-raccess006')).toBeUndefined();
  });

  it('binds a level in one namespace with a RoleBinding there', async () => {
    await kubeConfigFor(sim)
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'shop' } } });
    const run = input('RACCESS007', {
      access: { ...access('RACCESS007'), roleRef: { kind: 'ClusterRole', name: 'edit', namespace: 'shop' } },
    });
    await grantAccess(run);
    expect(sim.store.roleBindings.get('certops-access-raccess007', 'shop')?.roleRef?.name).toBe('edit');
    const asRequester = kubeconfigClient((run.delivered[0] as AccessDelivery).kubeconfig);
    expect(await status(asRequester.listNamespacedPod({ namespace: 'shop' }))).toBe(200);
    expect(await status(asRequester.listNamespacedPod({ namespace: 'default' }))).toBe(403);
  });
});
