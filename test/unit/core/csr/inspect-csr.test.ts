import { createCsr, type CsrSpec } from '../../../../src/sandbox/pki/issue';
import { inspectCsr, parseCsr, type CsrVerdict, type InspectCsrInput, type NodeFacts } from '../../../../src/core/csr';

const SERVING = 'kubernetes.io/kubelet-serving';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const API_CLIENT = 'kubernetes.io/kube-apiserver-client';
const config = { maxExpirationSeconds: 366 * 86400, dnsPatterns: ['*.nodes.example.com'] };
const node: NodeFacts = {
  name: 'worker-1',
  addresses: [
    { type: 'InternalIP', address: '10.0.0.5' },
    { type: 'Hostname', address: 'worker-1' },
  ],
  labels: {},
};
const goodServing: CsrSpec = { commonName: 'system:node:worker-1', organizations: ['system:nodes'], dnsNames: ['worker-1', 'worker-1.nodes.example.com'], ipAddresses: ['10.0.0.5'] };
const servingContext = { signerName: SERVING, username: 'system:node:worker-1', usages: ['digital signature', 'server auth'], node, config };

async function verdictFor(spec: CsrSpec, context: Partial<Omit<InspectCsrInput, 'request'>> = {}): Promise<CsrVerdict> {
  const { csrPem } = await createCsr(spec);
  return inspectCsr({ ...servingContext, ...context, request: parseCsr(csrPem) });
}
const codes = (verdict: CsrVerdict) => verdict.findings.map((f) => f.code);

describe('a kubelet serving request', () => {
  it('that matches its Node is low risk with no findings', async () => {
    const verdict = await verdictFor(goodServing);
    expect(verdict).toMatchObject({ risk: 'low', signatureValid: true, keyAlgorithm: 'ECDSA', keySize: 256, subject: { commonName: 'system:node:worker-1', organizations: ['system:nodes'] } });
    expect(verdict.findings).toEqual([]);
  });

  it.each([
    { name: 'is high risk when the common name is not a node', spec: { ...goodServing, commonName: 'worker-1' }, context: { username: 'worker-1' }, code: 'cn-not-node' },
    { name: 'is high risk when another user asks for the node name', spec: goodServing, context: { username: 'system:node:worker-2' }, code: 'cn-requester-mismatch' },
    { name: 'is high risk when the organizations are not exactly system:nodes', spec: { ...goodServing, organizations: ['system:nodes', 'system:masters'] }, context: {}, code: 'organization-not-nodes' },
    { name: 'is high risk when a usage beyond serving is asked', spec: goodServing, context: { usages: ['digital signature', 'server auth', 'client auth'] }, code: 'usage-not-allowed' },
    { name: 'is high risk without the server auth usage', spec: goodServing, context: { usages: ['digital signature'] }, code: 'usage-missing' },
    { name: 'is high risk with neither DNS name nor IP address', spec: { ...goodServing, dnsNames: [], ipAddresses: [] }, context: {}, code: 'no-dns-or-ip-name' },
    { name: 'is high risk with an email address', spec: { ...goodServing, emailAddresses: ['ops@example.com'] }, context: {}, code: 'email-or-uri-name' },
    { name: 'is high risk with a URI', spec: { ...goodServing, uris: ['spiffe://cluster/ns/x'] }, context: {}, code: 'email-or-uri-name' },
    { name: 'is high risk when an IP address is not the Node\'s', spec: { ...goodServing, ipAddresses: ['10.0.0.99'] }, context: {}, code: 'ip-not-node-address' },
    { name: 'is high risk when a DNS name is neither the Node\'s nor allowed by a pattern', spec: { ...goodServing, dnsNames: ['evil.example.com'] }, context: {}, code: 'dns-not-node-address' },
    { name: 'treats a pattern star as one label only', spec: { ...goodServing, dnsNames: ['a.b.nodes.example.com'] }, context: {}, code: 'dns-not-node-address' },
    { name: 'is high risk when the Node does not exist', spec: goodServing, context: { node: null }, code: 'node-not-found' },
    { name: 'is high risk when the Node found has another name', spec: goodServing, context: { node: { ...node, name: 'worker-9' } }, code: 'node-name-mismatch' },
    { name: 'is high risk with an RSA key under 2048 bits', spec: { ...goodServing, key: 'rsa-1024' as const }, context: {}, code: 'weak-key' },
    { name: 'is high risk when the lifetime exceeds the maximum', spec: goodServing, context: { expirationSeconds: 400 * 86400 }, code: 'expiration-too-long' },
  ])('$name', async ({ spec, context, code }) => {
    const verdict = await verdictFor(spec, context as Partial<InspectCsrInput>);
    expect(verdict.risk).toBe('high');
    expect(codes(verdict)).toContain(code);
  });

  it('reports every problem, not only the first', async () => {
    const verdict = await verdictFor({ ...goodServing, organizations: [], ipAddresses: ['10.9.9.9'], emailAddresses: ['x@y.z'], key: 'rsa-1024' }, { username: 'mallory' });
    expect(codes(verdict)).toEqual(['weak-key', 'cn-requester-mismatch', 'organization-not-nodes', 'email-or-uri-name', 'ip-not-node-address']);
    expect(verdict.keySize).toBe(1024);
  });

  it('says what was not checked offline, as info that keeps the risk low', async () => {
    const verdict = await verdictFor(goodServing, { node: undefined, username: undefined, usages: undefined });
    expect(verdict.risk).toBe('low');
    expect(codes(verdict)).toEqual(['requester-not-checked', 'usages-not-checked', 'node-not-checked']);
    expect(verdict.findings.every((f) => f.severity === 'info')).toBe(true);
  });
});

describe('a kubelet serving request whose common name names no node', () => {
  it.each([
    { cn: '', message: 'No common name: this signer only issues certificates to kubelets ("system:node:<node name>").' },
    { cn: 'system:node:', message: 'Common name "system:node:" names no node: this signer only issues certificates to kubelets ("system:node:<node name>").' },
    { cn: 'web.example.com', message: 'Common name "web.example.com" is not "system:node:<node name>": this signer only issues certificates to kubelets ("system:node:<node name>").' },
  ])('says so once for CN "$cn", and does not talk of a Node it cannot name', async ({ cn, message }) => {
    for (const nodeContext of [{ node: undefined }, { node }]) {
      const verdict = await verdictFor({ ...goodServing, commonName: cn }, { ...nodeContext, username: undefined, usages: undefined });
      expect(verdict.risk).toBe('high');
      expect(verdict.findings.filter((f) => f.code === 'cn-not-node').map((f) => f.message)).toEqual([message]);
      expect(codes(verdict).filter((code) => code.startsWith('node-'))).toEqual([]);
      expect(verdict.findings.map((f) => f.message).join('\n')).not.toMatch(/Node ""/);
    }
  });
});

describe('other signers', () => {
  const kubeletClient: CsrSpec = { commonName: 'system:node:worker-1', organizations: ['system:nodes'] };
  const clientUsages = ['digital signature', 'client auth'];

  it('accepts a plain kubelet client request as low risk', async () => {
    const verdict = await verdictFor(kubeletClient, { signerName: KUBELET_CLIENT, usages: clientUsages, username: 'system:bootstrap:abcdef' });
    expect(verdict).toMatchObject({ risk: 'low', findings: [] });
  });

  it.each([
    { name: 'refuses subject alternative names in a kubelet client request', spec: { ...kubeletClient, dnsNames: ['worker-1'] }, usages: clientUsages, code: 'unexpected-names' },
    { name: 'refuses a kubelet client request without the node prefix', spec: { ...kubeletClient, commonName: 'admin' }, usages: clientUsages, code: 'cn-not-node' },
    { name: 'refuses server auth in a kubelet client request', spec: kubeletClient, usages: ['client auth', 'server auth'], code: 'usage-not-allowed' },
    { name: 'refuses a kubelet client request without client auth', spec: kubeletClient, usages: ['digital signature'], code: 'usage-missing' },
  ])('$name', async ({ spec, usages, code }) => {
    const verdict = await verdictFor(spec, { signerName: KUBELET_CLIENT, usages });
    expect(verdict.risk).toBe('high');
    expect(codes(verdict)).toContain(code);
  });

  it('always rates an API client certificate high', async () => {
    const verdict = await verdictFor({ commonName: 'alice', organizations: ['dev'] }, { signerName: API_CLIENT });
    expect(verdict.risk).toBe('high');
    expect(verdict.findings.map((f) => [f.code, f.severity])).toEqual([['api-client-certificate', 'high']]);
  });

  it('flags system:masters in an API client request as critical', async () => {
    const verdict = await verdictFor({ commonName: 'alice', organizations: ['system:masters'] }, { signerName: API_CLIENT });
    expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'system-masters', severity: 'critical' }));
  });

  it('rates an unknown signer high', async () => {
    const verdict = await verdictFor(goodServing, { signerName: 'example.com/custom' });
    expect(verdict.risk).toBe('high');
    expect(codes(verdict)).toContain('unknown-signer');
  });
});

describe('requests that cannot be trusted', () => {
  it('marks a request whose signature was broken by one flipped byte as invalid', async () => {
    const { csrPem } = await createCsr(goodServing);
    const request = parseCsr(csrPem);
    if (!request.ok) throw new Error(request.message);
    const der = Buffer.from(request.csr.der);
    der[der.length - 3] = (der[der.length - 3] as number) ^ 0x01;
    const verdict = await inspectCsr({ ...servingContext, request: parseCsr(der) });
    expect(verdict).toMatchObject({ risk: 'invalid', signatureValid: false });
    expect(codes(verdict)[0]).toBe('signature-invalid');
  });

  it.each([
    { name: 'marks garbage as invalid', input: 'not a request' },
    { name: 'marks a truncated PEM as invalid', input: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n' },
    { name: 'marks a certificate given as a request as invalid', input: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
  ])('$name', async ({ input }) => {
    const verdict = await inspectCsr({ ...servingContext, request: parseCsr(input) });
    expect(verdict).toMatchObject({ risk: 'invalid', signatureValid: false, keyAlgorithm: null });
    expect(codes(verdict)).toEqual(['unparseable']);
  });

  it('reads a request given as base64 of PEM, as in a CSR object\'s spec.request', async () => {
    const { csrPem } = await createCsr(goodServing);
    const parsed = parseCsr(Buffer.from(csrPem).toString('base64'));
    expect(parsed.ok && parsed.csr.dnsNames).toEqual(['worker-1', 'worker-1.nodes.example.com']);
  });
});
