import {
  CertificatesV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import type { KubeSim } from '../../src/sandbox/kube';
import { createCsr, type CsrSpec } from '../../src/sandbox/pki/issue';
import { ActionIds, CsrBlockIds } from '../../src/slack/ids';
import { OPS_CHANNEL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { PROVEN_NODE_NAMES, SERVING_USAGES, addNode, adminCsrApi, buttonValue, messageText } from './csr-helpers';

// Three ways a CSR review was once talked into a certificate, each tried end to end through the simulators:
// a node that vouches for its own addresses, a user asking for a node's identity, and a requester voting
// on their own request. Each must end with a high-risk card and nothing approved.

const CLIENT_USAGES = ['digital signature', 'client auth'];
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** The Kubernetes user the configuration puts alice (Slack) behind. */
const ALICE_K8S = 'alice@example.com';

function kubeConfigAs(kube: KubeSim, user: string, groups: string[]): KubeConfig {
  kube.addUser(user, groups);
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfig({ user }));
  return kc;
}

async function csrBody(
  name: string,
  signerName: string,
  usages: string[],
  spec: CsrSpec,
): Promise<V1CertificateSigningRequest> {
  const { csrPem } = await createCsr(spec);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName, usages },
  };
}

const conditionsOf = async (admin: CertificatesV1Api, name: string) =>
  (await admin.readCertificateSigningRequest({ name })).status?.conditions ?? [];

describe('CSR review that cannot be talked into a certificate, end to end', () => {
  let stack: E2eStack;
  let admin: CertificatesV1Api;

  beforeAll(async () => {
    stack = await startE2eStack({
      config: () => ({
        csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s', autoApprove: ['kubelet-serving'] },
        identities: { users: { [ALICE_K8S]: [USERS.approver1.id] }, groups: { 'system:nodes': [] } },
      }),
    });
    const kube = stack.sims.kube;
    addNode(kube, 'worker-1', '10.0.0.5');
    addNode(kube, 'worker-2', '10.0.0.6');
    // What kubeadm binds: nodes may renew their own client certificates.
    kube.grant('system:nodes', ['create'], ['certificatesigningrequests/selfnodeclient']);
    admin = adminCsrApi(kube);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const slack = () => stack.sims.slack;
  const cardOf = (name: string) =>
    slack()
      .messages(OPS_CHANNEL)
      .find((m) => messageText(m).includes(`CSR ${name} on`));
  const click = (userId: string, ts: string, actionId: string, value: string | undefined, blockId?: string) =>
    stack.driver.blockAction({
      userId,
      channelId: OPS_CHANNEL,
      messageTs: ts,
      actionId,
      value,
      ...(blockId ? { blockId } : {}),
    });

  it("does not approve a node that wrote another node's IP and the API server's name into its own status", async () => {
    const kube = stack.sims.kube;
    const kubelet = kubeConfigAs(kube, 'system:node:worker-1', ['system:nodes']);
    const core = kubelet.makeApiClient(CoreV1Api);
    // The kubelet may write its own status, and label itself as AKS nodes are labelled; not another node's status.
    await core.patchNodeStatus(
      {
        name: 'worker-1',
        body: {
          status: {
            addresses: [
              { type: 'InternalIP', address: '10.0.0.5' },
              { type: 'InternalIP', address: '10.0.0.6' },
              { type: 'Hostname', address: 'kubernetes.default.svc' },
            ],
          },
        },
      },
      mergePatch,
    );
    await core.patchNode(
      { name: 'worker-1', body: { metadata: { labels: { 'kubernetes.azure.com/kubelet-serving-ca': 'cluster' } } } },
      mergePatch,
    );
    await expect(
      core.patchNodeStatus({ name: 'worker-2', body: { status: { addresses: [] } } }, mergePatch),
    ).rejects.toMatchObject({ code: 403 });

    const spec = {
      commonName: 'system:node:worker-1',
      organizations: ['system:nodes'],
      dnsNames: ['worker-1', 'kubernetes.default.svc'],
      ipAddresses: ['10.0.0.5', '10.0.0.6'],
    };
    await kubelet.makeApiClient(CertificatesV1Api).createCertificateSigningRequest({
      body: await csrBody('self-vouched', 'kubernetes.io/kubelet-serving', SERVING_USAGES, spec),
    });

    const card = await slack().waitFor(() => cardOf('self-vouched'), { timeoutMs: 20_000 });
    const shown = messageText(card);
    expect(shown).toContain('High risk');
    expect(shown).toContain('other-node-address');
    expect(shown).toContain('api-server-name');
    expect(shown).toContain('belongs to `Node worker-2`');
    // The label the node gave itself removes nothing: the buttons are there.
    expect(buttonValue(card, ActionIds.approveCsr)).toBeDefined();
    expect(await conditionsOf(admin, 'self-vouched')).toEqual([]);
  });

  it('does not let a user who may only create CSRs get a node\'s client identity, alone or in "Approve all"', async () => {
    const mallory = kubeConfigAs(stack.sims.kube, 'mallory', []).makeApiClient(CertificatesV1Api);
    const nodeIdentity = { commonName: 'system:node:control-plane-1', organizations: ['system:nodes'] };
    await mallory.createCertificateSigningRequest({
      body: await csrBody(
        'stolen-identity',
        'kubernetes.io/kube-apiserver-client-kubelet',
        CLIENT_USAGES,
        nodeIdentity,
      ),
    });

    const card = await slack().waitFor(() => cardOf('stolen-identity'), { timeoutMs: 20_000 });
    expect(messageText(card)).toContain('High risk');
    expect(messageText(card)).toContain('node-identity-for-other');
    expect(messageText(card)).toMatch(
      /\\"mallory\\" \(groups system:authenticated\) asks for the client identity of node \\"control-plane-1\\"/,
    );
    await click(USERS.operator.id, card.ts, ActionIds.approveCsr, buttonValue(card, ActionIds.approveCsr));
    await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.operator.id)
          .find((e) => e.text.includes('stolen-identity')),
      { timeoutMs: 15_000 },
    );
    expect(await conditionsOf(admin, 'stolen-identity')).toEqual([]);

    // In a burst beside a node renewing its own identity, "Approve all" holds only the renewal.
    const worker = kubeConfigAs(stack.sims.kube, 'system:node:worker-2', ['system:nodes']).makeApiClient(
      CertificatesV1Api,
    );
    await Promise.all([
      (async () =>
        mallory.createCertificateSigningRequest({
          body: await csrBody(
            'stolen-again',
            'kubernetes.io/kube-apiserver-client-kubelet',
            CLIENT_USAGES,
            nodeIdentity,
          ),
        }))(),
      (async () =>
        worker.createCertificateSigningRequest({
          body: await csrBody('own-renewal', 'kubernetes.io/kube-apiserver-client-kubelet', CLIENT_USAGES, {
            commonName: 'system:node:worker-2',
            organizations: ['system:nodes'],
          }),
        }))(),
    ]);
    const burst = await slack().waitFor(
      () =>
        slack()
          .messages(OPS_CHANNEL)
          .find(
            (m) => messageText(m).includes('stolen-again') && buttonValue(m, ActionIds.approveAllLowRisk) !== undefined,
          ),
      { timeoutMs: 20_000 },
    );
    expect(messageText(burst)).toContain('Approve all 1 low-risk');
    // The message shows in Slack a moment before certops has recorded it: a click in between is told so, and repeated.
    for (let attempt = 0; attempt < 20; attempt++) {
      const answered = slack().ephemerals(OPS_CHANNEL, USERS.operator.id).length;
      await click(
        USERS.operator.id,
        burst.ts,
        ActionIds.approveAllLowRisk,
        buttonValue(burst, ActionIds.approveAllLowRisk),
        `${CsrBlockIds.burstActions}_0`,
      );
      const answer = await slack().waitFor(() => slack().ephemerals(OPS_CHANNEL, USERS.operator.id)[answered], {
        timeoutMs: 20_000,
      });
      if (!answer.text.includes('no longer tracked')) break;
    }
    await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.operator.id)
          .find((e) => /Approved 1 of 1/.test(e.text)),
      { timeoutMs: 20_000 },
    );
    expect((await conditionsOf(admin, 'own-renewal')).map((c) => c.type)).toContain('Approved');
    expect(await conditionsOf(admin, 'stolen-again')).toEqual([]);
  });

  it('never counts the vote of the person behind the requester, and asks one more approver for a requester nobody is behind', async () => {
    const alice = kubeConfigAs(stack.sims.kube, ALICE_K8S, []).makeApiClient(CertificatesV1Api);
    await alice.createCertificateSigningRequest({
      body: await csrBody('own-masters', 'kubernetes.io/kube-apiserver-client', CLIENT_USAGES, {
        commonName: ALICE_K8S,
        organizations: ['system:masters'],
      }),
    });
    const card = await slack().waitFor(() => cardOf('own-masters'), { timeoutMs: 20_000 });
    expect(messageText(card)).toContain(`<@${USERS.approver1.id}> (may not approve)`);
    const value = buttonValue(card, ActionIds.approveCsr);

    await click(USERS.approver1.id, card.ts, ActionIds.approveCsr, value);
    const refused = await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.approver1.id)
          .find((e) => e.text.includes('own-masters')),
      { timeoutMs: 15_000 },
    );
    expect(refused.text).toContain('maps to you');
    await click(USERS.approver2.id, card.ts, ActionIds.approveCsr, value);
    await slack().waitFor(
      () =>
        slack()
          .ephemerals(OPS_CHANNEL, USERS.approver2.id)
          .find((e) => e.text.includes('own-masters') && e.text.includes('1 of 2')),
      { timeoutMs: 15_000 },
    );
    // Only one approver is left who counts: the request can never reach two.
    expect(await conditionsOf(admin, 'own-masters')).toEqual([]);

    const stranger = kubeConfigAs(stack.sims.kube, 'contractor', []).makeApiClient(CertificatesV1Api);
    await stranger.createCertificateSigningRequest({
      body: await csrBody('unknown-person', 'kubernetes.io/kube-apiserver-client', CLIENT_USAGES, {
        commonName: 'contractor',
        organizations: ['dev'],
      }),
    });
    const unknown = await slack().waitFor(() => cardOf('unknown-person'), { timeoutMs: 20_000 });
    expect(messageText(unknown)).toContain('maps to no person (identities): needs 3 approvers');
    expect(messageText(unknown)).toContain('Approve (needs 3 approvers)');
  });
});
