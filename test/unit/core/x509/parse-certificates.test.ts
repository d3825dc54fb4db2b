import { issueCertificate, generateKey, type IssuedCert } from '../../../../src/sandbox/pki/issue';
import { findIssuingCa, mergeByFingerprint, parseCertificates } from '../../../../src/core/x509';

const foundAt = { source: 'test', location: '/tmp/x.crt' };
let ca: IssuedCert;
let leaf: IssuedCert;
let keyPem: string;

beforeAll(async () => {
  ca = await issueCertificate({ commonName: 'kubernetes', isCA: true });
  leaf = await issueCertificate(
    {
      commonName: 'kube-apiserver',
      organizations: ['a', 'b'],
      dnsNames: ['kubernetes.default'],
      ipAddresses: ['10.96.0.1', '2001:db8::1'],
      serialNumber: '00ab01',
    },
    ca,
  );
  keyPem = (await generateKey()).keyPem;
});

const der = () => new Uint8Array(leaf.cert.rawData);
const pemOf = (bytes: Uint8Array, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;

describe('parsing a certificate', () => {
  it('reads subject, issuer, names, validity and key identifiers', () => {
    const result = parseCertificates(leaf.certPem, foundAt);
    if (!result.ok) throw new Error(result.message);
    const [record] = result.certificates;
    expect(record).toMatchObject({
      name: 'kube-apiserver',
      subject: 'CN=kube-apiserver, O=a, O=b',
      subjectCN: 'kube-apiserver',
      issuerCN: 'kubernetes',
      isCA: false,
      dnsNames: ['kubernetes.default'],
      ipAddresses: ['10.96.0.1', '2001:db8::1'],
      locations: ['/tmp/x.crt'],
    });
    expect(record?.notAfter.getTime()).toBe(leaf.cert.notAfter.getTime());
    const caResult = parseCertificates(ca.certPem, foundAt);
    expect(record?.authorityKeyId).toMatch(/^[0-9a-f]{40}$/);
    expect(caResult.ok && caResult.certificates[0]?.subjectKeyId).toBe(record?.authorityKeyId);
  });

  it('shows the serial number as openssl x509 -serial does: lower-case hex, no colons, no DER sign byte', () => {
    const result = parseCertificates(leaf.certPem, foundAt);
    expect(result.ok && result.certificates[0]?.serialNumber).toBe('ab01');
  });

  it('reads a lone DER certificate when DER is allowed', () => {
    const result = parseCertificates(der(), foundAt, { allowDer: true });
    expect(result.ok && result.certificates.length).toBe(1);
  });

  it('ignores private and public keys beside certificates', () => {
    const result = parseCertificates(
      `${keyPem}${leaf.certPem}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`,
      foundAt,
    );
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.ok && result.certificates.map((c) => c.subjectCN)).toEqual(['kube-apiserver']);
  });

  it('treats a file holding only a private key as no certificate, not as an error', () => {
    expect(parseCertificates(keyPem, foundAt)).toEqual({ ok: true, certificates: [], problems: [] });
  });

  it('reports a bad block beside good ones without dropping the good ones', () => {
    const result = parseCertificates(
      `${leaf.certPem}-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n`,
      foundAt,
    );
    expect(result.ok && result.certificates.length).toBe(1);
    expect(result.ok && result.problems).toEqual(['block 2 is not valid base64']);
  });

  it('parses a 5,000-certificate bundle completely', () => {
    const bundle = Array.from({ length: 5000 }, () => leaf.certPem).join('');
    const result = parseCertificates(bundle, foundAt);
    expect(result.ok && result.certificates.length).toBe(5000);
  });
});

describe('hostile input becomes a parse error, never a throw', () => {
  const cases: Array<[string, () => string | Uint8Array, RegExp, { allowDer?: boolean }?]> = [
    ['an empty file', () => '', /empty/],
    ['whitespace only', () => '  \n\t', /empty/],
    ['text that is not PEM', () => 'hello world', /not PEM/],
    ['a truncated PEM block', () => leaf.certPem.slice(0, 200), /truncated PEM/],
    [
      'a PEM body that is not base64',
      () => '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n',
      /not valid base64/,
    ],
    ['an empty PEM body', () => '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', /not valid base64/],
    ['DER where PEM is expected', der, /DER.*PEM was expected/],
    [
      'random bytes as DER',
      () => new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2, 3]),
      /does not parse/,
      { allowDer: true },
    ],
    ['a PKCS#7 bundle', () => pemOf(new Uint8Array([0x30, 0x03, 0x06, 0x01, 0x00]), 'PKCS7'), /PKCS#7/],
    ['a certificate request', () => pemOf(new Uint8Array([0x30, 0x00]), 'CERTIFICATE REQUEST'), /signing request/],
    [
      'base64 of something that is not a certificate',
      () => pemOf(new TextEncoder().encode('this is not DER at all!!')),
      /does not parse/,
    ],
    [
      'a certificate with its extension bytes corrupted',
      () => {
        const bytes = der().slice();
        const san = Buffer.from(bytes).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
        bytes[san + 7] = 0xff; // the length of the SAN's OCTET STRING
        return pemOf(bytes);
      },
      /does not parse/,
    ],
    ['a certificate cut short', () => pemOf(der().slice(0, 300)), /does not parse/],
  ];
  // Rows are passed whole: a row shorter than the callback's parameters would make jest wait for `done`.
  it.each(cases.map(([name, input, message, options]) => ({ name, input, message, options: options ?? {} })))(
    '$name',
    ({ input, message, options }) => {
      const result = parseCertificates(input(), foundAt, options);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(message);
    },
  );
});

describe('merging and issuers', () => {
  it('merges the same certificate found in two places into one record with both locations', () => {
    const first = parseCertificates(leaf.certPem, { source: 'pki-dir', location: 'a' });
    const second = parseCertificates(leaf.certPem, { source: 'kubeconfig', location: 'b' });
    const other = parseCertificates(ca.certPem, { source: 'pki-dir', location: 'c' });
    if (!first.ok || !second.ok || !other.ok) throw new Error('fixtures must parse');
    const merged = mergeByFingerprint([...first.certificates, ...second.certificates, ...other.certificates]);
    expect(merged.map((r) => [r.subjectCN, r.source, r.locations])).toEqual([
      ['kube-apiserver', 'pki-dir', ['a', 'b']],
      ['kubernetes', 'pki-dir', ['c']],
    ]);
  });

  it('finds the issuing CA by key identifier, not by name alone', async () => {
    const impostor = await issueCertificate({ commonName: 'kubernetes', isCA: true });
    const records = [ca, impostor, leaf].map((c, i) => {
      const parsed = parseCertificates(c.certPem, { source: 't', location: String(i), name: `n${i}` });
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.certificates[0]!;
    });
    expect(findIssuingCa(records[2]!, [records[1]!, records[0]!])?.name).toBe('n0');
    expect(findIssuingCa(records[2]!, [records[1]!])).toBeUndefined();
  });
});
