import { AuthorizationV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeSim } from '../../../src/sandbox/kube';
import { kubeConfigFor, startSim, statusOf } from './helpers';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const addresses = (ip: string) => [
  { type: 'InternalIP', address: ip },
  { type: 'Hostname', address: 'x' },
];

/** The API as the kubelet of `node` sees it. */
function kubelet(sim: KubeSim, node: string): CoreV1Api {
  sim.addUser(`system:node:${node}`, ['system:nodes']);
  return kubeConfigFor(sim, { user: `system:node:${node}` }).makeApiClient(CoreV1Api);
}

async function failure(call: Promise<unknown>): Promise<{ code?: number; reason?: string; message?: string }> {
  try {
    await call;
  } catch (err) {
    return { code: (err as { code?: number }).code, ...statusOf(err) };
  }
  throw new Error('expected the call to fail');
}

describe('kube-sim: the Node authorizer and NodeRestriction', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startSim();
    for (const name of ['worker-1', 'worker-2'])
      sim.store.nodes.create({ metadata: { name }, status: { addresses: addresses('10.0.0.1') } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('lets a kubelet write its own Node status, addresses included: the status is its own word', async () => {
    const patched = await kubelet(sim, 'worker-1').patchNodeStatus(
      { name: 'worker-1', body: { status: { addresses: addresses('10.0.0.7') } } },
      mergePatch,
    );
    expect(patched.status?.addresses?.[0]?.address).toBe('10.0.0.7');
    expect(sim.store.nodes.get('worker-1')?.status?.addresses?.[0]?.address).toBe('10.0.0.7');
  });

  it("refuses a kubelet another Node's status, as NodeRestriction does", async () => {
    const refused = await failure(
      kubelet(sim, 'worker-1').patchNodeStatus(
        { name: 'worker-2', body: { status: { addresses: addresses('10.0.0.7') } } },
        mergePatch,
      ),
    );
    expect(refused).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'nodes "worker-2" is forbidden: node "worker-1" is not allowed to modify node "worker-2"',
    });
    expect(sim.store.nodes.get('worker-2')?.status?.addresses?.[0]?.address).toBe('10.0.0.1');
  });

  it('lets a kubelet read Nodes but not nodes/status, which the Node authorizer does not grant', async () => {
    const api = kubelet(sim, 'worker-1');
    expect((await api.readNode({ name: 'worker-2' })).metadata?.name).toBe('worker-2');
    const refused = await failure(api.readNodeStatus({ name: 'worker-1' }));
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(refused.message).toContain('cannot get resource "nodes/status"');
  });

  it('gives a user outside system:nodes nothing on Nodes', async () => {
    sim.addUser('mallory', ['developers']);
    const api = kubeConfigFor(sim, { user: 'mallory' }).makeApiClient(CoreV1Api);
    expect(await failure(api.patchNodeStatus({ name: 'worker-1', body: { status: {} } }, mergePatch))).toMatchObject({
      code: 403,
    });
  });
});

describe('kube-sim: SubjectAccessReview', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startSim();
    // What kubeadm binds: nodes renew their own client certificates, bootstrap tokens ask for new ones.
    sim.grant('system:nodes', ['create'], ['certificatesigningrequests/selfnodeclient']);
    sim.grant('system:bootstrappers:kubeadm:default-node-token', ['create'], ['certificatesigningrequests/nodeclient']);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const review = (api: AuthorizationV1Api, user: string, groups: string[], subresource: string) =>
    api.createSubjectAccessReview({
      body: {
        spec: {
          user,
          groups,
          resourceAttributes: {
            group: 'certificates.k8s.io',
            resource: 'certificatesigningrequests',
            verb: 'create',
            subresource,
          },
        },
      },
    });

  it.each([
    {
      name: 'allows a node to renew its own client certificate',
      user: 'system:node:worker-1',
      groups: ['system:nodes', 'system:authenticated'],
      subresource: 'selfnodeclient',
      allowed: true,
    },
    {
      name: 'does not let a node bootstrap others',
      user: 'system:node:worker-1',
      groups: ['system:nodes', 'system:authenticated'],
      subresource: 'nodeclient',
      allowed: false,
    },
    {
      name: 'allows a bootstrap token to ask for a node client certificate',
      user: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
      subresource: 'nodeclient',
      allowed: true,
    },
    {
      name: 'does not let a user who may only create CSRs ask for a node identity',
      user: 'mallory',
      groups: ['system:authenticated'],
      subresource: 'nodeclient',
      allowed: false,
    },
  ])('$name', async ({ user, groups, subresource, allowed }) => {
    const api = kubeConfigFor(sim).makeApiClient(AuthorizationV1Api);
    const answer = await review(api, user, groups, subresource);
    expect(answer.status?.allowed).toBe(allowed);
  });

  it('refuses a review from a caller without create on subjectaccessreviews', async () => {
    sim.addUser('mallory', ['system:authenticated']);
    const api = kubeConfigFor(sim, { user: 'mallory' }).makeApiClient(AuthorizationV1Api);
    expect(await failure(review(api, 'mallory', [], 'nodeclient'))).toMatchObject({ code: 403 });
  });

  it('refuses a review without resource attributes as invalid', async () => {
    const api = kubeConfigFor(sim).makeApiClient(AuthorizationV1Api);
    expect(await failure(api.createSubjectAccessReview({ body: { spec: { user: 'x' } } }))).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
  });
});
