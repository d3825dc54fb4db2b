import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { isOwnAccessCsr } from '../../../src/access/own-access-csr';
import { AccessGrantStore, type AccessGrant } from '../../../src/state/access-grants';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

const csr = (
  name: string,
  label: string | undefined,
  signerName = 'kubernetes.io/kube-apiserver-client',
): V1CertificateSigningRequest => ({
  metadata: { name, ...(label ? { labels: { 'certops.io/access-request': label } } : {}) },
  spec: { request: '', signerName },
});

const grant: AccessGrant = {
  requestId: 'ROWNCSR001',
  cluster: 'prod',
  level: 'view',
  user: { id: 'U1', name: 'rita' },
  kubernetesUser: 'certops:U1',
  group: 'certops:access:ROWNCSR001',
  roleRef: { kind: 'ClusterRole', name: 'view' },
  bindingKind: 'ClusterRoleBinding',
  bindingName: 'certops-access-rowncsr001',
  csrName: 'certops-access-rowncsr001',
  durationSeconds: 1800,
  state: 'issuing',
};

// The CSR watch skips only CSRs certops recorded before creating them; a label is not proof.
describe('recognising the CSRs certops creates for temporary access', () => {
  let redis: TestRedis;
  let grants: AccessGrantStore;
  beforeAll(async () => {
    redis = await openTestRedis('own-csr');
    grants = new AccessGrantStore(redis.redis, { prefix: redis.prefix });
    await grants.saveLive(grant);
  });
  afterAll(() => redis.cleanup());

  it.each([
    ["certops' own CSR, recorded under its grant", csr('certops-access-rowncsr001', 'ROWNCSR001'), true],
    [
      "a stranger's CSR with the label of a grant certops never recorded",
      csr('certops-access-rstranger1', 'RSTRANGER1'),
      false,
    ],
    ["a stranger's CSR naming a real grant under another name", csr('innocent-looking', 'ROWNCSR001'), false],
    [
      "a CSR for another signer under the grant's name",
      csr('certops-access-rowncsr001', 'ROWNCSR001', 'kubernetes.io/kubelet-serving'),
      false,
    ],
    ['a CSR without the label', csr('certops-access-rowncsr001', undefined), false],
  ])('%s', async (_name, candidate, own) => {
    expect(await isOwnAccessCsr(grants, candidate)).toBe(own);
  });
});
