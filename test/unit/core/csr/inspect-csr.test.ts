import { createCsr, type CsrSpec } from '../../../../src/sandbox/pki/issue';
import {
  DEFAULT_CSR_POLICY,
  inspectCsr,
  parseCsr,
  type CsrPolicyConfig,
  type CsrVerdict,
  type InspectCsrInput,
  type NodeFacts,
} from '../../../../src/core/csr';
import { OID_SAN, directoryNameSan, dnsSan, otherNameSan, registeredIdSan } from './csr-san-fixtures';

const SERVING = 'kubernetes.io/kubelet-serving';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const API_CLIENT = 'kubernetes.io/kube-apiserver-client';
// What proves a worker's names: its DNS names are under nodes.example.com or its bare name, its IPs in 10.0.0.0/24.
const config: CsrPolicyConfig = {
  ...DEFAULT_CSR_POLICY,
  dnsPatterns: ['worker-*', '*.nodes.example.com'],
  ipPrefixes: ['10.0.0.0/24'],
};
const node: NodeFacts = {
  name: 'worker-1',
  addresses: [
    { type: 'InternalIP', address: '10.0.0.5' },
    { type: 'Hostname', address: 'worker-1' },
  ],
  labels: {},
};
const otherNode: NodeFacts = {
  name: 'worker-2',
  addresses: [
    { type: 'InternalIP', address: '10.0.0.6' },
    { type: 'Hostname', address: 'worker-2' },
  ],
  labels: {},
};
const goodServing: CsrSpec = {
  commonName: 'system:node:worker-1',
  organizations: ['system:nodes'],
  dnsNames: ['worker-1', 'worker-1.nodes.example.com'],
  ipAddresses: ['10.0.0.5'],
};
const servingContext = {
  signerName: SERVING,
  username: 'system:node:worker-1',
  groups: ['system:nodes', 'system:authenticated'],
  usages: ['digital signature', 'server auth'],
  node,
  otherNodes: [node, otherNode],
  config,
};

async function verdictFor(spec: CsrSpec, context: Partial<Omit<InspectCsrInput, 'request'>> = {}): Promise<CsrVerdict> {
  const { csrPem } = await createCsr(spec);
  return inspectCsr({ ...servingContext, ...context, request: parseCsr(csrPem) });
}
const codes = (verdict: CsrVerdict) => verdict.findings.map((f) => f.code);
const raw = (der: Uint8Array) => [{ oid: OID_SAN, der }];

describe('a kubelet serving request', () => {
  it('whose every name is proven by configuration is low risk with no findings', async () => {
    const verdict = await verdictFor(goodServing);
    expect(verdict).toMatchObject({
      risk: 'low',
      signatureValid: true,
      keyAlgorithm: 'ECDSA',
      keySize: 256,
      subject: { commonName: 'system:node:worker-1', organizations: ['system:nodes'] },
    });
    expect(verdict.findings).toEqual([]);
    expect(verdict.nameProofs).toEqual([
      { kind: 'DNS', name: 'worker-1', proof: 'pattern worker-*', inNodeStatus: true },
      { kind: 'DNS', name: 'worker-1.nodes.example.com', proof: 'pattern *.nodes.example.com', inNodeStatus: false },
      { kind: 'IP', name: '10.0.0.5', proof: 'prefix 10.0.0.0/24', inNodeStatus: true },
    ]);
  });

  // One case per refusal reason: each names the finding it must raise, and none may be low risk.
  it.each([
    {
      name: 'refuses a common name that is not a node',
      spec: { ...goodServing, commonName: 'worker-1' },
      context: { username: 'worker-1' },
      code: 'cn-not-node',
    },
    {
      name: 'refuses another user asking for the node name',
      spec: goodServing,
      context: { username: 'system:node:worker-2' },
      code: 'cn-requester-mismatch',
    },
    {
      name: 'refuses a requester outside system:nodes',
      spec: goodServing,
      context: { groups: ['system:authenticated'] },
      code: 'requester-not-node',
    },
    {
      name: 'refuses organizations other than exactly system:nodes',
      spec: { ...goodServing, organizations: ['system:nodes', 'system:masters'] },
      context: {},
      code: 'organization-not-nodes',
    },
    {
      name: 'refuses a usage beyond serving',
      spec: goodServing,
      context: { usages: ['digital signature', 'server auth', 'client auth'] },
      code: 'usage-not-allowed',
    },
    {
      name: 'refuses a request without server auth',
      spec: goodServing,
      context: { usages: ['digital signature'] },
      code: 'usage-missing',
    },
    {
      name: 'refuses a request with neither DNS name nor IP address',
      spec: { ...goodServing, dnsNames: [], ipAddresses: [] },
      context: {},
      code: 'no-dns-or-ip-name',
    },
    {
      name: 'refuses an email address, which the signer would refuse too',
      spec: { ...goodServing, emailAddresses: ['ops@example.com'] },
      context: {},
      code: 'email-or-uri-name',
    },
    {
      name: 'refuses a URI, which the signer would refuse too',
      spec: { ...goodServing, uris: ['spiffe://cluster/ns/x'] },
      context: {},
      code: 'email-or-uri-name',
    },
    {
      name: 'refuses a DNS name no pattern proves',
      spec: { ...goodServing, dnsNames: ['worker-1.evil.example.com'] },
      context: {},
      code: 'dns-not-proven',
    },
    {
      name: 'treats a pattern star as one label only',
      spec: { ...goodServing, dnsNames: ['worker-1.b.nodes.example.com'] },
      context: {},
      code: 'dns-not-proven',
    },
    {
      name: 'refuses every DNS name when no pattern is configured, whatever the Node status says',
      spec: goodServing,
      context: { config: { ...config, dnsPatterns: [] } },
      code: 'dns-not-proven',
    },
    {
      name: 'refuses an IP address outside the configured prefixes',
      spec: { ...goodServing, ipAddresses: ['10.9.9.9'] },
      context: { node: { ...node, addresses: [...node.addresses, { type: 'InternalIP', address: '10.9.9.9' }] } },
      code: 'ip-not-proven',
    },
    {
      name: 'refuses every IP address when no prefix is configured, whatever the Node status says',
      spec: goodServing,
      context: { config: { ...config, ipPrefixes: [] } },
      code: 'ip-not-proven',
    },
    {
      name: 'refuses a proven IP address the Node does not even claim',
      spec: { ...goodServing, ipAddresses: ['10.0.0.99'] },
      context: {},
      code: 'ip-not-node-address',
    },
    {
      name: "refuses a DNS name that is not under the node's own name",
      spec: { ...goodServing, dnsNames: ['worker-10.nodes.example.com'] },
      context: {},
      code: 'dns-not-node-hostname',
    },
    {
      name: "refuses another Node's IP address, even inside the prefixes and in this Node's status",
      spec: { ...goodServing, ipAddresses: ['10.0.0.5', '10.0.0.6'] },
      context: { node: { ...node, addresses: [...node.addresses, { type: 'InternalIP', address: '10.0.0.6' }] } },
      code: 'other-node-address',
    },
    {
      name: "refuses another Node's name",
      spec: { ...goodServing, dnsNames: ['worker-2'] },
      context: { config: { ...config, bypassHostnameCheck: true } },
      code: 'other-node-name',
    },
    {
      name: "refuses the API server's service name kubernetes.default.svc",
      spec: { ...goodServing, dnsNames: ['worker-1', 'kubernetes.default.svc'] },
      context: { config: { ...config, dnsPatterns: ['*', '*.*', '*.*.*'], bypassHostnameCheck: true } },
      code: 'api-server-name',
    },
    {
      name: 'refuses a name under *.svc',
      spec: { ...goodServing, dnsNames: ['api.default.svc'] },
      context: {},
      code: 'api-server-name',
    },
    {
      name: 'refuses a name under *.cluster.local',
      spec: { ...goodServing, dnsNames: ['worker-1.cluster.local'] },
      context: {},
      code: 'api-server-name',
    },
    {
      name: 'refuses the bare name kubernetes',
      spec: { ...goodServing, dnsNames: ['kubernetes'] },
      context: {},
      code: 'api-server-name',
    },
    {
      name: 'refuses the first address of the Service CIDR',
      spec: { ...goodServing, ipAddresses: ['10.96.0.1'] },
      context: { config: { ...config, ipPrefixes: ['10.0.0.0/8'] } },
      code: 'api-server-ip',
    },
    {
      name: 'refuses a loopback address',
      spec: { ...goodServing, ipAddresses: ['127.0.0.1'] },
      context: { config: { ...config, ipPrefixes: ['0.0.0.0/0'] } },
      code: 'loopback-address',
    },
    {
      name: 'refuses IPv6 loopback',
      spec: { ...goodServing, ipAddresses: ['::1'] },
      context: { config: { ...config, ipPrefixes: ['::/0'] } },
      code: 'loopback-address',
    },
    {
      name: 'refuses localhost',
      spec: { ...goodServing, dnsNames: ['localhost'] },
      context: {},
      code: 'loopback-name',
    },
    {
      name: 'refuses a link-local address',
      spec: { ...goodServing, ipAddresses: ['169.254.169.254'] },
      context: {},
      code: 'reserved-address',
    },
    {
      name: 'refuses a request whose Node does not exist',
      spec: goodServing,
      context: { node: null },
      code: 'node-not-found',
    },
    {
      name: 'refuses a request whose Node has another name',
      spec: goodServing,
      context: { node: { ...node, name: 'worker-9' } },
      code: 'node-name-mismatch',
    },
    {
      name: 'refuses an RSA key under 2048 bits',
      spec: { ...goodServing, key: 'rsa-1024' as const },
      context: {},
      code: 'weak-key',
    },
    {
      name: 'refuses a lifetime beyond the maximum',
      spec: goodServing,
      context: { expirationSeconds: 400 * 86400 },
      code: 'expiration-too-long',
    },
    {
      name: 'refuses two common names',
      spec: { ...goodServing, extraCommonNames: ['system:node:cp-1'] },
      context: {},
      code: 'multiple-common-names',
    },
    {
      name: 'refuses a directoryName SAN',
      spec: { ...goodServing, rawExtensions: raw(directoryNameSan('system:node:cp-1', 'system:masters')) },
      context: {},
      code: 'san-directory-name',
    },
    {
      name: 'refuses an otherName SAN',
      spec: { ...goodServing, rawExtensions: raw(otherNameSan('admin@example.com')) },
      context: {},
      code: 'san-other-name',
    },
    {
      name: 'refuses a registeredID SAN',
      spec: { ...goodServing, rawExtensions: raw(registeredIdSan('1.2.3.4')) },
      context: {},
      code: 'san-registered-id',
    },
    {
      name: 'refuses a second SAN extension',
      spec: { ...goodServing, rawExtensions: raw(dnsSan('worker-1')) },
      context: {},
      code: 'duplicate-extension',
    },
  ])('$name', async ({ spec, context, code }) => {
    const verdict = await verdictFor(spec, context);
    expect(verdict.risk).toBe('high');
    expect(codes(verdict)).toContain(code);
  });

  it('reports every problem, not only the first', async () => {
    const verdict = await verdictFor(
      { ...goodServing, organizations: [], ipAddresses: ['10.9.9.9'], emailAddresses: ['x@y.z'], key: 'rsa-1024' },
      { username: 'mallory' },
    );
    expect(codes(verdict)).toEqual([
      'weak-key',
      'cn-requester-mismatch',
      'organization-not-nodes',
      'email-or-uri-name',
      'ip-not-proven',
      'ip-not-node-address',
    ]);
    expect(verdict.keySize).toBe(1024);
  });

  it('lists every name of an unusual kind and every CN, so the card can show them all', async () => {
    const verdict = await verdictFor({
      ...goodServing,
      extraCommonNames: ['system:admin'],
      rawExtensions: raw(directoryNameSan('system:node:cp-1', 'system:masters')),
    });
    expect(verdict.commonNames).toEqual(['system:admin', 'system:node:worker-1']);
    expect(verdict.subject.commonName).toBe('system:node:worker-1');
    expect(verdict.otherNames).toEqual(['DirName:CN=system:node:cp-1, O=system:masters']);
    // The second SAN extension's names are listed too: whichever copy a reader picks, the reviewer saw both.
    expect(verdict.dnsNames).toEqual(['worker-1', 'worker-1.nodes.example.com']);
  });

  it('says offline what it could not check, and proves names by configuration alone', async () => {
    const verdict = await verdictFor(goodServing, {
      node: undefined,
      otherNodes: undefined,
      username: undefined,
      groups: undefined,
      usages: undefined,
    });
    expect(verdict.risk).toBe('low');
    expect(codes(verdict)).toEqual(['requester-not-checked', 'usages-not-checked', 'node-not-checked']);
    expect(verdict.findings.every((f) => f.severity === 'info')).toBe(true);
  });
});

describe('a kubelet serving request whose common name names no node', () => {
  it.each([
    {
      cn: '',
      message: 'No common name: this signer only issues certificates to kubelets ("system:node:<node name>").',
    },
    {
      cn: 'system:node:',
      message:
        'Common name "system:node:" names no node: this signer only issues certificates to kubelets ("system:node:<node name>").',
    },
    {
      cn: 'web.example.com',
      message:
        'Common name "web.example.com" is not "system:node:<node name>": this signer only issues certificates to kubelets ("system:node:<node name>").',
    },
  ])('says so once for CN "$cn", and does not talk of a Node it cannot name', async ({ cn, message }) => {
    for (const nodeContext of [{ node: undefined }, { node }]) {
      const verdict = await verdictFor(
        { ...goodServing, commonName: cn },
        { ...nodeContext, username: undefined, usages: undefined },
      );
      expect(verdict.risk).toBe('high');
      expect(verdict.findings.filter((f) => f.code === 'cn-not-node').map((f) => f.message)).toEqual([message]);
      expect(codes(verdict).filter((code) => code.startsWith('node-'))).toEqual([]);
      expect(verdict.findings.map((f) => f.message).join('\n')).not.toMatch(/Node ""/);
    }
  });
});

describe('a kubelet client request (node identity)', () => {
  const kubeletClient: CsrSpec = { commonName: 'system:node:worker-1', organizations: ['system:nodes'] };
  const clientUsages = ['digital signature', 'client auth'];
  const self = { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };
  const bootstrap = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
  const context = (
    who: { username: string; groups: string[] },
    access: { selfnodeclient: boolean; nodeclient: boolean; error?: string },
  ) => ({ signerName: KUBELET_CLIENT, usages: clientUsages, ...who, nodeClientAccess: access });

  it.each([
    {
      name: 'is low risk when the node renews its own identity and may (selfnodeclient)',
      who: self,
      access: { selfnodeclient: true, nodeclient: false },
    },
    {
      name: 'is low risk when a bootstrap identity the cluster lets bootstrap nodes asks (nodeclient)',
      who: bootstrap,
      access: { selfnodeclient: false, nodeclient: true },
    },
  ])('$name', async ({ who, access }) => {
    const verdict = await verdictFor(kubeletClient, context(who, access));
    expect(verdict).toMatchObject({ risk: 'low', findings: [] });
  });

  it.each([
    {
      name: "refuses a user who may only create CSRs asking for a node's identity",
      spec: kubeletClient,
      who: { username: 'mallory', groups: ['system:authenticated'] },
      access: { selfnodeclient: false, nodeclient: false },
      code: 'node-identity-for-other',
    },
    {
      name: "refuses one node asking for another node's identity",
      spec: kubeletClient,
      who: { username: 'system:node:worker-2', groups: ['system:nodes'] },
      access: { selfnodeclient: true, nodeclient: false },
      code: 'node-identity-for-other',
    },
    {
      name: 'refuses a node the cluster does not let renew itself',
      spec: kubeletClient,
      who: self,
      access: { selfnodeclient: false, nodeclient: false },
      code: 'node-client-not-authorized',
    },
    {
      name: 'refuses when the cluster could not be asked',
      spec: kubeletClient,
      who: self,
      access: { selfnodeclient: false, nodeclient: false, error: 'HTTP 403' },
      code: 'node-client-not-authorized',
    },
    {
      name: 'refuses subject alternative names',
      spec: { ...kubeletClient, dnsNames: ['worker-1'] },
      who: self,
      access: { selfnodeclient: true, nodeclient: false },
      code: 'unexpected-names',
    },
    {
      name: 'refuses a common name without the node prefix',
      spec: { ...kubeletClient, commonName: 'admin' },
      who: self,
      access: { selfnodeclient: true, nodeclient: true },
      code: 'cn-not-node',
    },
    {
      name: 'refuses server auth',
      spec: kubeletClient,
      who: self,
      access: { selfnodeclient: true, nodeclient: false },
      code: 'usage-not-allowed',
      usages: ['client auth', 'server auth'],
    },
    {
      name: 'refuses a request without client auth',
      spec: kubeletClient,
      who: self,
      access: { selfnodeclient: true, nodeclient: false },
      code: 'usage-missing',
      usages: ['digital signature'],
    },
    {
      name: 'refuses a directoryName that claims system:masters',
      spec: { ...kubeletClient, rawExtensions: raw(directoryNameSan('system:node:cp-1', 'system:masters')) },
      who: self,
      access: { selfnodeclient: true, nodeclient: false },
      code: 'san-directory-name',
    },
  ])('$name', async ({ spec, who, access, code, ...rest }) => {
    const verdict = await verdictFor(spec, {
      ...context(who, access),
      ...('usages' in rest ? { usages: rest.usages } : {}),
    });
    expect(verdict.risk).toBe('high');
    expect(codes(verdict)).toContain(code);
  });

  it('says who asked for whose identity', async () => {
    const verdict = await verdictFor(
      { commonName: 'system:node:control-plane-1', organizations: ['system:nodes'] },
      context({ username: 'mallory', groups: ['system:authenticated'] }, { selfnodeclient: false, nodeclient: false }),
    );
    expect(verdict.findings.find((f) => f.code === 'node-identity-for-other')?.message).toMatch(
      /"mallory" \(groups system:authenticated\) asks for the client identity of node "control-plane-1"/,
    );
  });
});

describe('other signers', () => {
  it('always rates an API client certificate high', async () => {
    const verdict = await verdictFor({ commonName: 'alice', organizations: ['dev'] }, { signerName: API_CLIENT });
    expect(verdict.risk).toBe('high');
    expect(verdict.findings.map((f) => [f.code, f.severity])).toEqual([['api-client-certificate', 'high']]);
  });

  it('flags system:masters in an API client request as critical', async () => {
    const verdict = await verdictFor(
      { commonName: 'alice', organizations: ['system:masters'] },
      { signerName: API_CLIENT },
    );
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
    {
      name: 'marks a certificate given as a request as invalid',
      input: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    },
  ])('$name', async ({ input }) => {
    const verdict = await inspectCsr({ ...servingContext, request: parseCsr(input) });
    expect(verdict).toMatchObject({ risk: 'invalid', signatureValid: false, keyAlgorithm: null });
    expect(codes(verdict)).toEqual(['unparseable']);
  });

  it("reads a request given as base64 of PEM, as in a CSR object's spec.request", async () => {
    const { csrPem } = await createCsr(goodServing);
    const parsed = parseCsr(Buffer.from(csrPem).toString('base64'));
    expect(parsed.ok && parsed.csr.dnsNames).toEqual(['worker-1', 'worker-1.nodes.example.com']);
  });
});
