import type { CertificatesV1Api, V1CertificateSigningRequest } from '@kubernetes/client-node';
import { ActionIds } from '../../src/slack/ids';
import { OPS_CHANNEL, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import {
  addNode,
  adminCsrApi,
  buttonValue,
  hasCondition,
  messageText,
  nodeCsrApi,
  servingCsr,
  PROVEN_NODE_NAMES,
} from './csr-helpers';

/**
 * A kubelet serving CSR whose self-signature does not verify (one byte of the signature flipped): it still
 * parses, so the API server accepts it, but the requester has not proven it holds the private key.
 */
async function forgedServingCsr(name: string, node: string, ips: string[]): Promise<V1CertificateSigningRequest> {
  const csr = await servingCsr(name, node, ips);
  const pem = Buffer.from(csr.spec.request, 'base64').toString('utf8');
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
  const body = (der.toString('base64').match(/.{1,64}/g) ?? []).join('\n');
  const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
  return { ...csr, spec: { ...csr.spec, request: Buffer.from(forged).toString('base64') } };
}

function condition(csr: V1CertificateSigningRequest, type: string) {
  return csr.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

describe('CSRs decided without a human (csr.autoApprove, csr.autoDeny), end to end', () => {
  let stack: E2eStack;
  let admin: CertificatesV1Api;
  let kubelet: CertificatesV1Api;

  beforeAll(async () => {
    stack = await startE2eStack({
      config: () => ({
        csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s', autoApprove: ['kubelet-serving'], autoDeny: ['invalid'] },
      }),
    });
    admin = adminCsrApi(stack.sims.kube);
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
    kubelet = nodeCsrApi(stack.sims.kube, 'worker-1');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const messages = () => stack.sims.slack.messages(OPS_CHANNEL);
  const mentioning = (name: string) =>
    messages().filter((m) => messageText(m).includes(`\`${name}\``) || messageText(m).includes(`CSR ${name} on`));

  it('approves a low-risk kubelet serving CSR, denies a forged one, leaves a risky one to people: one line each', async () => {
    await kubelet.createCertificateSigningRequest({ body: await servingCsr('auto-good', 'worker-1', ['10.0.0.5']) });
    await kubelet.createCertificateSigningRequest({
      body: await forgedServingCsr('auto-forged', 'worker-1', ['10.0.0.5']),
    });
    await kubelet.createCertificateSigningRequest({
      body: await servingCsr('auto-risky', 'worker-1', ['10.0.0.5', '10.9.9.9']),
    });

    // The line follows the CSR to Issued, even though both happened while the line was being posted.
    const approvedLine = await stack.sims.slack.waitFor(
      () => messages().find((m) => m.text.includes('approved automatically') && m.text.includes('1 issued')),
      { timeoutMs: 20_000 },
    );
    const deniedLine = await stack.sims.slack.waitFor(
      () => messages().find((m) => m.text.includes('denied automatically')),
      { timeoutMs: 20_000 },
    );
    const riskyCard = await stack.sims.slack.waitFor(() => mentioning('auto-risky')[0], { timeoutMs: 20_000 });

    expect(approvedLine.text).toContain('`auto-good`');
    expect(approvedLine.text).not.toContain('auto-forged');
    const good = await admin.readCertificateSigningRequest({ name: 'auto-good' });
    expect(condition(good, 'Approved')?.reason).toBe('CertopsAutoApprove');
    expect(good.status?.certificate).toBeTruthy();

    expect(deniedLine.text).toContain('`auto-forged` (signature-invalid)');
    expect(deniedLine.text).toContain('CertopsAutoDeny');
    const forged = await admin.readCertificateSigningRequest({ name: 'auto-forged' });
    expect(condition(forged, 'Denied')?.reason).toBe('CertopsAutoDeny');
    expect(condition(forged, 'Denied')?.message).toContain('signature-invalid');
    expect(forged.status?.certificate).toBeFalsy();

    // High risk is never decided automatically, in either direction: it waits for people on its own card.
    expect(messageText(riskyCard)).toContain('High risk');
    expect(buttonValue(riskyCard, ActionIds.approveCsr)).toBeDefined();
    const risky = await admin.readCertificateSigningRequest({ name: 'auto-risky' });
    expect(risky.status?.conditions ?? []).toEqual([]);

    // Each CSR shows up exactly once: no card of its own for the ones decided automatically.
    expect([mentioning('auto-good').length, mentioning('auto-forged').length, mentioning('auto-risky').length]).toEqual(
      [1, 1, 1],
    );
  });
});

describe('without csr.autoDeny', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ config: () => ({ csr: { ...PROVEN_NODE_NAMES, burstWindow: '1s' } }) });
    addNode(stack.sims.kube, 'worker-1', '10.0.0.5');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('never denies an invalid CSR by itself: it posts a card that people can only deny', async () => {
    const kubelet = nodeCsrApi(stack.sims.kube, 'worker-1');
    await kubelet.createCertificateSigningRequest({
      body: await forgedServingCsr('forged-kept', 'worker-1', ['10.0.0.5']),
    });
    const card = await stack.sims.slack.waitFor(
      () => stack.sims.slack.messages(OPS_CHANNEL).find((m) => messageText(m).includes('CSR forged-kept on')),
      { timeoutMs: 20_000 },
    );
    expect(messageText(card)).toContain('Invalid');
    expect(buttonValue(card, ActionIds.denyCsr)).toBeDefined();
    const csr = await adminCsrApi(stack.sims.kube).readCertificateSigningRequest({ name: 'forged-kept' });
    expect(hasCondition(csr, 'Denied')).toBe(false);
    expect(hasCondition(csr, 'Approved')).toBe(false);
  });
});
