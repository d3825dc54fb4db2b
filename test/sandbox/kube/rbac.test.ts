import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, CertificatesV1Api } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { createCsr } from '../../../src/sandbox/pki/issue';
import { csrManifest, decodeCertificate, kubeConfigFor, startSim, statusOf } from './helpers';

/** A kubeconfig that authenticates with a client certificate the cluster CA issued through the CSR API. */
async function certificateUser(
  sim: KubeSim,
  name: string,
  commonName: string,
  groups: string[],
  expirationSeconds = 3600,
): Promise<KubeConfig> {
  const admin = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
  const { csrPem, keyPem } = await createCsr({ commonName, organizations: groups });
  await admin.createCertificateSigningRequest({
    body: {
      metadata: { name },
      spec: {
        request: Buffer.from(csrPem).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'client auth'],
        expirationSeconds,
      },
    },
  });
  const current = await admin.readCertificateSigningRequest({ name });
  await admin.replaceCertificateSigningRequestApproval({
    name,
    body: {
      ...current,
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'test' }] },
    },
  });
  const issued = await admin.readCertificateSigningRequest({ name });
  const certPem = Buffer.from(issued.status?.certificate ?? '', 'base64').toString('utf8');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: sim.url, caData: Buffer.from(sim.caPem()).toString('base64') }],
    users: [
      {
        name: commonName,
        certData: Buffer.from(certPem).toString('base64'),
        keyData: Buffer.from(keyPem).toString('base64'),
      },
    ],
    contexts: [{ name: 'sim', cluster: 'sim', user: commonName }],
    currentContext: 'sim',
  });
  return kc;
}

async function code(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    return statusOf(err).code ?? (err as { code?: number }).code ?? 0;
  }
}

const binding = (name: string, role: string, group: string, kind: 'ClusterRole' | 'Role' = 'ClusterRole') => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
});

describe('kube-sim RBAC from Role, ClusterRole and their bindings', () => {
  let sim: KubeSim;
  let admin: RbacAuthorizationV1Api;

  beforeAll(async () => {
    sim = await startSim();
    admin = kubeConfigFor(sim).makeApiClient(RbacAuthorizationV1Api);
    await kubeConfigFor(sim)
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'shop' } } });
  });
  afterAll(() => sim.stop());

  it('issues kube-apiserver-client certificates with the requested lifetime, and authenticates them as CN and O', async () => {
    const admin = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
    await admin.createCertificateSigningRequest({
      body: await csrManifest({
        name: 'lifetime',
        subject: { commonName: 'certops:U1', organizations: ['certops:access:R1'] },
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'client auth'],
        expirationSeconds: 1800,
      }),
    });
    const current = await admin.readCertificateSigningRequest({ name: 'lifetime' });
    await admin.replaceCertificateSigningRequestApproval({
      name: 'lifetime',
      body: {
        ...current,
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'test' }] },
      },
    });
    const cert = decodeCertificate(
      (await admin.readCertificateSigningRequest({ name: 'lifetime' })).status?.certificate ?? '',
    );
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(1800_000 + 5 * 60_000);
    expect(cert.subject).toContain('CN=certops:U1');
  });

  it('denies a certificate user everything until a ClusterRoleBinding names its group, and again once it is deleted', async () => {
    const kc = await certificateUser(sim, 'viewer-csr', 'certops:U2', ['certops:access:R2']);
    const pods = kc.makeApiClient(CoreV1Api);
    expect(await code(pods.listNamespacedPod({ namespace: 'default' }))).toBe(403);
    await admin.createClusterRoleBinding({ body: binding('grant-r2', 'view', 'certops:access:R2') });
    expect(await code(pods.listNamespacedPod({ namespace: 'default' }))).toBe(200);
    // view reads pods but never secrets, and writes nothing.
    expect(await code(pods.listNamespacedSecret({ namespace: 'default' }))).toBe(403);
    expect(await code(pods.deleteNamespacedPod({ name: 'x', namespace: 'default' }))).toBe(403);
    await admin.deleteClusterRoleBinding({ name: 'grant-r2' });
    expect(await code(pods.listNamespacedPod({ namespace: 'default' }))).toBe(403);
  });

  it('limits a RoleBinding to its namespace, and a binding to a missing role grants nothing', async () => {
    const kc = await certificateUser(sim, 'shop-csr', 'certops:U3', ['certops:access:R3']);
    const pods = kc.makeApiClient(CoreV1Api);
    await admin.createNamespacedRoleBinding({
      namespace: 'shop',
      body: binding('grant-r3', 'edit', 'certops:access:R3'),
    });
    expect(await code(pods.listNamespacedPod({ namespace: 'shop' }))).toBe(200);
    expect(await code(pods.listNamespacedPod({ namespace: 'default' }))).toBe(403);
    await admin.createNamespacedRoleBinding({
      namespace: 'default',
      body: binding('dangling', 'no-such-role', 'certops:access:R3', 'Role'),
    });
    expect(await code(pods.listNamespacedPod({ namespace: 'default' }))).toBe(403);
  });

  it('refuses a binding to a role whose permissions the creator lacks, unless it holds bind on that role', async () => {
    const binder = await certificateUser(sim, 'binder-csr', 'binder', ['binders']);
    await admin.createClusterRole({
      body: {
        metadata: { name: 'binding-writer' },
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['clusterrolebindings'],
            verbs: ['create', 'update', 'delete'],
          },
        ],
      },
    });
    await admin.createClusterRoleBinding({ body: binding('binders-write', 'binding-writer', 'binders') });
    const api = binder.makeApiClient(RbacAuthorizationV1Api);
    let refusal: { code?: number; message?: string } = {};
    try {
      await api.createClusterRoleBinding({ body: binding('escalate', 'cluster-admin', 'someone') });
    } catch (err) {
      refusal = statusOf(err);
    }
    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain('is attempting to grant RBAC permissions not currently held');
    await admin.createClusterRole({
      body: {
        metadata: { name: 'view-binder' },
        rules: [
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['clusterroles'],
            resourceNames: ['view'],
            verbs: ['bind'],
          },
        ],
      },
    });
    await admin.createClusterRoleBinding({ body: binding('binders-bind-view', 'view-binder', 'binders') });
    expect(await code(api.createClusterRoleBinding({ body: binding('may-bind-view', 'view', 'someone') }))).toBe(200);
    expect(
      await code(api.createClusterRoleBinding({ body: binding('still-not-admin', 'cluster-admin', 'someone') })),
    ).toBe(403);
  });

  it("refuses to change a binding's roleRef", async () => {
    await admin.createClusterRoleBinding({ body: binding('fixed-ref', 'view', 'g') });
    const status = await code(
      admin.replaceClusterRoleBinding({ name: 'fixed-ref', body: binding('fixed-ref', 'edit', 'g') }),
    );
    expect(status).toBe(422);
  });

  it('models signers that refuse or never sign', async () => {
    const certs = kubeConfigFor(sim).makeApiClient(CertificatesV1Api);
    const approve = async (name: string) => {
      const current = await certs.readCertificateSigningRequest({ name });
      await certs.replaceCertificateSigningRequestApproval({
        name,
        body: {
          ...current,
          status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 't' }] },
        },
      });
      return certs.readCertificateSigningRequest({ name });
    };
    const client = { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature', 'client auth'] };
    sim.setSignerMode('kubernetes.io/kube-apiserver-client', 'never');
    await certs.createCertificateSigningRequest({
      body: await csrManifest({ name: 'never', subject: { commonName: 'u' }, ...client }),
    });
    const unsigned = await approve('never');
    expect(unsigned.status?.certificate).toBeUndefined();
    sim.setSignerMode('kubernetes.io/kube-apiserver-client', {
      refuse: 'this control plane does not issue client certificates',
    });
    await certs.createCertificateSigningRequest({
      body: await csrManifest({ name: 'refused', subject: { commonName: 'u' }, ...client }),
    });
    const refused = await approve('refused');
    expect(refused.status?.conditions?.find((c) => c.type === 'Failed')?.message).toBe(
      'this control plane does not issue client certificates',
    );
    sim.setSignerMode('kubernetes.io/kube-apiserver-client', 'sign');
  });
});
