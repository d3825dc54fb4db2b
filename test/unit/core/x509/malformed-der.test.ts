import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createCsr, issueCertificate, type IssuedCert } from '../../../../src/sandbox/pki/issue';
import { parseCertificates } from '../../../../src/core/x509';
import {
  BMP,
  UTF8,
  basicConstraints,
  certificate,
  extension,
  generalizedTime,
  keyUsage,
  name,
  oid,
  pemOf,
  seq,
  set,
  tbsCertificate,
  tlv,
  utcTime,
} from './der-builder';

const foundAt = { source: 'test', location: 'x.crt' };
let leaf: IssuedCert;
let csrDer: Uint8Array;

beforeAll(async () => {
  const ca = await issueCertificate({ commonName: 'kubernetes', isCA: true });
  leaf = await issueCertificate(
    { commonName: 'kube-apiserver', dnsNames: ['kubernetes.default'], ipAddresses: ['10.96.0.1'] },
    ca,
  );
  const { csrPem } = await createCsr({ commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
  csrDer = Buffer.from(csrPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
});

// A copy: Buffer.from(ArrayBuffer) would share, and a case that damages it would damage the fixture.
const leafDer = () => Buffer.from(new Uint8Array(leaf.cert.rawData));
const cnOf = (tag: number, value: number[] | string) => name([[['2.5.4.3', tag, value]]]);
const validity = (notBefore: Buffer, notAfter = utcTime('350101000000Z')) => seq(notBefore, notAfter);
const subjectAltName = (...names: Buffer[]) => extension('2.5.29.17', seq(...names));
const RSA_PSS = '1.2.840.113549.1.1.10';
const sha256WithRsa = (...parameters: Buffer[]) => seq(oid('1.2.840.113549.1.1.11'), ...parameters);
const ecdsaWithSha256 = (...parameters: Buffer[]) => seq(oid('1.2.840.10045.4.3.2'), ...parameters);
const DER_NULL = tlv(0x05);
const v2 = tlv(0xa0, tlv(0x02, [1]));
/** CN=subject, then x500UniqueIdentifier as a BIT STRING of the given contents (unused-bits byte first). */
const uniqueIdName = (bitString: number[]) =>
  seq(set(seq(oid('2.5.4.3'), tlv(UTF8, 'subject'))), set(seq(oid('2.5.4.45'), tlv(0x03, bitString))));

describe('a malformed certificate is a parse error that says what is wrong', () => {
  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    // Lengths and framing
    [
      'an outer length beyond the end of the data',
      () => Buffer.concat([Buffer.from([0x30, 0x83, 0x10, 0x00, 0x00]), leafDer().subarray(4)]),
      /longer than its container/,
    ],
    [
      'an inner length beyond its parent',
      () => {
        const der = leafDer();
        der[6] = (der[6] as number) + 1;
        return der;
      },
      /longer than its container|truncated/,
    ],
    [
      'an indefinite (BER) length',
      () => Buffer.concat([Buffer.from([0x30, 0x80]), leafDer().subarray(4), Buffer.from([0, 0])]),
      /indefinite/,
    ],
    [
      'a length in long form where the short form fits',
      () => certificate({ serial: Buffer.from([0x02, 0x81, 0x02, 0x01, 0x23]) }),
      /non-minimal DER length/,
    ],
    [
      'a length of five bytes',
      () => Buffer.concat([Buffer.from([0x30, 0x85, 0, 0, 0, 0x01, 0x00]), Buffer.alloc(256)]),
      /length too large/,
    ],
    [
      'a multi-byte tag',
      () => certificate({ subject: seq(set(seq(oid('2.5.4.3'), Buffer.from([0x1f, 0x81, 0x01, 0x01, 0x41])))) }),
      /multi-byte DER tag/,
    ],
    [
      'bytes after the certificate',
      () => Buffer.concat([leafDer(), Buffer.from([0x00, 0x00])]),
      /trailing bytes after the certificate/,
    ],
    [
      'a field after the last one of the tbsCertificate',
      () => certificate({ afterKey: [tlv(0x04, 'x')] }),
      /tbsCertificate: unexpected data after its last field/,
    ],
    [
      'a third time in the validity',
      () =>
        certificate({ validity: seq(utcTime('250101000000Z'), utcTime('350101000000Z'), utcTime('450101000000Z')) }),
      /validity: unexpected data/,
    ],
    [
      'no signature after the tbsCertificate',
      () => seq(tbsCertificate(), seq(oid('1.2.840.10045.4.3.2'))),
      /signatureValue missing/,
    ],
    ['an empty serial number', () => certificate({ serial: tlv(0x02) }), /empty serialNumber/],
    [
      'a serial number with a needless leading zero byte',
      () => certificate({ serial: tlv(0x02, [0x00, 0x00, 0xff]) }),
      /non-minimal serialNumber/,
    ],
    [
      'a serial number with a needless leading 0xff byte',
      () => certificate({ serial: tlv(0x02, [0xff, 0x80]) }),
      /non-minimal serialNumber/,
    ],
    [
      'inner and outer signature algorithms that differ',
      () => certificate({}, seq(oid('1.2.840.113549.1.1.11'), tlv(0x05))),
      /signature algorithms differ/,
    ],
    [
      'the same algorithm with different parameters',
      () =>
        certificate(
          { signature: seq(oid(RSA_PSS), seq(tlv(0xa2, tlv(0x02, [32])))) },
          seq(oid(RSA_PSS), seq(tlv(0xa2, tlv(0x02, [20])))),
        ),
      /signature algorithms differ/,
    ],
    [
      'a NULL with contents against absent parameters',
      () => certificate({ signature: sha256WithRsa() }, sha256WithRsa(tlv(0x05, [0]))),
      /signature algorithms differ/,
    ],
    [
      'an outer signatureAlgorithm that is not an AlgorithmIdentifier',
      () => certificate({}, seq(tlv(0x02, [1]))),
      /signatureAlgorithm: algorithm has tag 0x2/,
    ],
    // Versions
    [
      'an unsupported version (4)',
      () => certificate({ version: tlv(0xa0, tlv(0x02, [3])) }),
      /unsupported certificate version 4/,
    ],
    [
      'a negative version',
      () => certificate({ version: tlv(0xa0, tlv(0x02, [0xff])) }),
      /unsupported certificate version/,
    ],
    [
      'extensions in a version 1 certificate',
      () => certificate({ version: null }),
      /unexpected data after its last field/,
    ],
    // Times
    ['a UTCTime without seconds', () => certificate({ validity: validity(utcTime('2501010000Z')) }), /RFC 5280/],
    ['a UTCTime with an offset', () => certificate({ validity: validity(tlv(0x17, '250101000000+0100')) }), /RFC 5280/],
    ['a time without its Z', () => certificate({ validity: validity(utcTime('2501010000000')) }), /no trailing Z/],
    [
      'a GeneralizedTime with fractional seconds',
      () => certificate({ validity: validity(generalizedTime('20500101000000.5Z')) }),
      /RFC 5280/,
    ],
    ['a time with a letter in it', () => certificate({ validity: validity(utcTime('2501010000x0Z')) }), /non-digit/],
    ['month 13', () => certificate({ validity: validity(utcTime('251301000000Z')) }), /does not exist/],
    ['February 30', () => certificate({ validity: validity(utcTime('250230000000Z')) }), /does not exist/],
    [
      'February 29 of a common year',
      () => certificate({ validity: validity(generalizedTime('21000229000000Z')) }),
      /does not exist/,
    ],
    ['hour 24', () => certificate({ validity: validity(utcTime('250101240000Z')) }), /does not exist/],
    [
      'an INTEGER where a time belongs',
      () => certificate({ validity: validity(tlv(0x02, [1])) }),
      /not a UTCTime or GeneralizedTime/,
    ],
    // Names
    ['invalid UTF-8 in a name', () => certificate({ subject: cnOf(UTF8, [0xff, 0x41]) }), /invalid UTF-8/],
    ['a BMPString of odd length', () => certificate({ subject: cnOf(BMP, [0x00, 0x41, 0x00]) }), /odd length/],
    [
      'a BMPString holding half a surrogate pair',
      () => certificate({ subject: cnOf(BMP, [0xd8, 0x3d, 0xde, 0x00]) }),
      /invalid character/,
    ],
    [
      'a name value that is not a string (OCTET STRING)',
      () => certificate({ subject: cnOf(0x04, 'x') }),
      /unsupported type 0x4/,
    ],
    [
      'a VisibleString, which X.509 names do not allow',
      () => certificate({ subject: cnOf(0x1a, 'x') }),
      /unsupported type 0x1a/,
    ],
    [
      'an empty relative distinguished name',
      () => certificate({ subject: seq(set()) }),
      /empty relative distinguished name/,
    ],
    [
      'an attribute with a third field',
      () => certificate({ subject: seq(set(seq(oid('2.5.4.3'), tlv(UTF8, 'a'), tlv(UTF8, 'b')))) }),
      /unexpected data/,
    ],
    [
      'an OID cut in the middle of an arc',
      () => certificate({ subject: seq(set(seq(tlv(0x06, [0x55, 0x04, 0x83]), tlv(UTF8, 'a')))) }),
      /truncated OID/,
    ],
    [
      'an OID arc padded with 0x80',
      () => certificate({ subject: seq(set(seq(tlv(0x06, [0x55, 0x80, 0x04]), tlv(UTF8, 'a')))) }),
      /non-minimal OID/,
    ],
    [
      'a BIT STRING name value claiming 8 unused bits',
      () => certificate({ subject: uniqueIdName([0x08, 0x41]) }),
      /issuer attribute value: bad BIT STRING/,
    ],
    [
      'a BIT STRING name value without its unused-bits byte',
      () => certificate({ subject: uniqueIdName([]) }),
      /issuer attribute value: bad BIT STRING/,
    ],
    [
      'an issuerUniqueID claiming unused bits of no bits',
      () => certificate({ version: v2, afterKey: [tlv(0x81, [0x03])], extensions: null }),
      /issuerUniqueID: bad BIT STRING/,
    ],
    [
      'unique IDs in a version 1 certificate',
      () => certificate({ version: null, afterKey: [tlv(0x81, [0, 1])], extensions: null }),
      /tbsCertificate: unexpected data after its last field/,
    ],
    // Extensions
    [
      'the same extension twice',
      () => certificate({ extensions: [basicConstraints(false), basicConstraints(true)] }),
      /2\.5\.29\.19 appears twice/,
    ],
    [
      'a basicConstraints cA that is neither 0x00 nor 0xFF',
      () => certificate({ extensions: [extension('2.5.29.19', seq(tlv(0x01, [0x01])))] }),
      /bad BOOLEAN/,
    ],
    [
      'a negative pathLenConstraint',
      () => certificate({ extensions: [extension('2.5.29.19', seq(tlv(0x01, [0xff]), tlv(0x02, [0xff])))] }),
      /negative pathLenConstraint/,
    ],
    [
      'a keyUsage with 8 unused bits',
      () => certificate({ extensions: [extension('2.5.29.15', tlv(0x03, [8, 0x04]))] }),
      /keyUsage: bad BIT STRING/,
    ],
    [
      'an extension value with bytes after it',
      () =>
        certificate({ extensions: [extension('2.5.29.17', Buffer.concat([seq(tlv(0x82, 'a')), Buffer.from([0])]))] }),
      /subjectAltName: trailing bytes/,
    ],
    [
      'an IP address SAN of 5 bytes',
      () => certificate({ extensions: [subjectAltName(tlv(0x87, [1, 2, 3, 4, 5]))] }),
      /IP address of 5 bytes/,
    ],
    [
      'a SAN entry that is not a GeneralName',
      () => certificate({ extensions: [subjectAltName(tlv(0x04, 'x'))] }),
      /not a GeneralName/,
    ],
    ['an extension without a value', () => certificate({ extensions: [seq(oid('2.5.29.19'))] }), /extnValue missing/],
    [
      'a critical flag that is not a BOOLEAN',
      () => certificate({ extensions: [seq(oid('2.5.29.19'), tlv(0x02, [1]), tlv(0x04, seq()))] }),
      /extnValue has tag 0x2/,
    ],
    [
      'an extensions field that is not a SEQUENCE',
      () => certificate({ afterKey: [tlv(0xa3, set())], extensions: null }),
      /extensions: unexpected tag 0x31/,
    ],
    // Other things in a CERTIFICATE block
    ['a certificate request', () => csrDer, /does not parse/],
    ['a PKCS#7 SignedData', () => seq(oid('1.2.840.113549.1.7.2'), tlv(0xa0, seq(tlv(0x02, [1])))), /does not parse/],
  ];

  it.each(cases.map(([label, input, message]) => ({ label, input, message })))('$label', ({ input, message }) => {
    const result = parseCertificates(pemOf(input()), foundAt);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^the PEM block does not parse as an X\.509 certificate \(/);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('refuses bytes after a lone DER certificate too', () => {
    const result = parseCertificates(Buffer.concat([leafDer(), Buffer.from([0x30, 0x00])]), foundAt, {
      allowDer: true,
    });
    expect(!result.ok && result.message).toMatch(/trailing bytes/);
  });
});

describe('damaged certificates never escape as a throw', () => {
  it('turns every truncation of a real certificate into an error', () => {
    const der = leafDer();
    for (let length = 0; length < der.length; length++) {
      const result = parseCertificates(der.subarray(0, length), foundAt, { allowDer: true });
      expect({ length, ok: result.ok }).toEqual({ length, ok: false });
    }
  });

  it('returns a result for every single-byte corruption, and any record describes exactly the bytes given', () => {
    const der = leafDer();
    let records = 0;
    for (let offset = 0; offset < der.length; offset++) {
      for (const value of [0x00, 0xff, (der[offset] as number) ^ 0x80]) {
        const damaged = Buffer.from(der);
        damaged[offset] = value;
        const result = parseCertificates(damaged, foundAt, { allowDer: true });
        if (result.ok) {
          records++;
          expect(result.certificates[0]?.fingerprint256).toBe(createHash('sha256').update(damaged).digest('hex'));
        }
      }
    }
    expect(records).toBeGreaterThan(0); // bytes inside names, keys and the signature change without breaking the structure
  });
});

const openssl = spawnSync('openssl', ['version']).status === 0;

/** What `openssl x509 -subject -serial` prints, in the record's `A=b, C=d` form; undefined where openssl is missing. */
function opensslView(der: Uint8Array): { subject: string; serial: string } | undefined {
  if (!openssl) return undefined;
  const run = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject', '-serial'], {
    input: der,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`openssl does not read it either: ${run.stderr}`);
  const line = (key: string) =>
    (run.stdout.split('\n').find((l) => l.startsWith(`${key}=`)) ?? '').slice(key.length + 1);
  return { subject: line('subject').replace(/ = /g, '='), serial: line('serial') };
}

describe('certificates OpenSSL and pyca/cryptography read are read, as openssl prints them', () => {
  const readable: Array<[string, () => Uint8Array, string]> = [
    [
      'an x500UniqueIdentifier BIT STRING in the subject',
      () => certificate({ subject: uniqueIdName([0x00, 0xab, 0xcd]) }),
      'CN=subject, x500UniqueIdentifier=#030300ABCD',
    ],
    [
      'a BIT STRING whose padding bits are set (printed cleared, as openssl does)',
      () => certificate({ subject: uniqueIdName([0x04, 0x4f]) }),
      'CN=subject, x500UniqueIdentifier=#03020440',
    ],
    [
      'an x500UniqueIdentifier BIT STRING in the issuer only',
      () => certificate({ subject: name([[['2.5.4.3', UTF8, 'subject']]]), issuer: uniqueIdName([0x00, 0x01]) }),
      'CN=subject',
    ],
    [
      'a version 2 certificate with both unique IDs',
      () =>
        certificate({ version: v2, afterKey: [tlv(0x81, [0x00, 0x01]), tlv(0x82, [0x04, 0xf0])], extensions: null }),
      'CN=built',
    ],
    [
      'a version 3 certificate with a subjectUniqueID and extensions',
      () => certificate({ afterKey: [tlv(0x82, [0x00, 0x02])] }),
      'CN=built',
    ],
    [
      'RSA: NULL parameters inside, none outside',
      () => certificate({ signature: sha256WithRsa(DER_NULL) }, sha256WithRsa()),
      'CN=built',
    ],
    [
      'RSA: no parameters inside, NULL outside',
      () => certificate({ signature: sha256WithRsa() }, sha256WithRsa(DER_NULL)),
      'CN=built',
    ],
    [
      'ECDSA: no parameters inside, NULL outside',
      () => certificate({ signature: ecdsaWithSha256() }, ecdsaWithSha256(DER_NULL)),
      'CN=built',
    ],
  ];

  it.each(readable.map(([label, input, subject]) => ({ label, input, subject })))('$label', ({ input, subject }) => {
    const der = input();
    const result = parseCertificates(pemOf(der), foundAt);
    if (!result.ok) throw new Error(result.message);
    expect(result.problems).toEqual([]);
    expect(result.certificates[0]?.subject).toBe(subject);
    const printed = opensslView(der);
    if (printed) expect(printed.subject).toBe(subject);
  });

  it("shows the issuer's BIT STRING attribute as openssl does", () => {
    const result = parseCertificates(pemOf(certificate({ issuer: uniqueIdName([0x00, 0x01]) })), foundAt);
    expect(result.ok && result.certificates[0]?.issuer).toBe('CN=subject, x500UniqueIdentifier=#03020001');
  });
});

describe('serial numbers print as openssl x509 -serial prints them, in lower case', () => {
  it.each([
    { bytes: [0x00, 0x8f, 0x67], printed: '8f67' },
    { bytes: [0x00, 0xff], printed: 'ff' },
    { bytes: [0x01, 0x23], printed: '0123' },
    { bytes: [0x7f], printed: '7f' },
    { bytes: [0x00], printed: '00' },
    { bytes: [0xff], printed: '-01' },
    { bytes: [0xff, 0x00], printed: '-0100' },
    { bytes: [0x80, 0x00, 0x01], printed: '-7fffff' },
  ])('INTEGER $bytes → $printed', ({ bytes, printed }) => {
    const der = certificate({ serial: tlv(0x02, bytes) });
    const result = parseCertificates(pemOf(der), foundAt);
    expect(result.ok && result.certificates[0]?.serialNumber).toBe(printed);
    const view = opensslView(der);
    if (view) expect(view.serial.toLowerCase()).toBe(printed);
  });
});

describe('certificates that are unusual but valid', () => {
  it('reads a certificate with an empty subject (SPIFFE) and names it by its first SAN', () => {
    const der = certificate({
      subject: seq(),
      issuer: name([[['2.5.4.3', UTF8, 'istio-ca']]]),
      extensions: [subjectAltName(tlv(0x86, 'spiffe://cluster.local/ns/default/sa/web'))],
    });
    const result = parseCertificates(pemOf(der), foundAt);
    expect(result.ok && result.certificates[0]).toMatchObject({
      name: 'spiffe://cluster.local/ns/default/sa/web',
      subject: '',
      subjectCN: '',
      issuer: 'CN=istio-ca',
    });
  });

  it('reads an OpenSSL TRUSTED CERTIFICATE and fingerprints the certificate alone', () => {
    const trustSettings = seq(seq(oid('1.3.6.1.5.5.7.3.1')));
    const trusted = parseCertificates(pemOf(Buffer.concat([leafDer(), trustSettings]), 'TRUSTED CERTIFICATE'), foundAt);
    const plain = parseCertificates(leaf.certPem, foundAt);
    expect(trusted.ok && trusted.certificates[0]?.fingerprint256).toBe(
      plain.ok && plain.certificates[0]?.fingerprint256,
    );
  });

  it('accepts trust settings only under the TRUSTED CERTIFICATE label, and nothing after them', () => {
    const trustSettings = seq(seq(oid('1.3.6.1.5.5.7.3.1')));
    const asPlain = parseCertificates(pemOf(Buffer.concat([leafDer(), trustSettings])), foundAt);
    const withJunk = parseCertificates(
      pemOf(Buffer.concat([leafDer(), trustSettings, Buffer.from([0])]), 'TRUSTED CERTIFICATE'),
      foundAt,
    );
    expect([asPlain.ok, withJunk.ok]).toEqual([false, false]);
    expect(!withJunk.ok && withJunk.message).toMatch(/trust settings: trailing bytes/);
  });

  it('reads a CA with a pathLenConstraint and a critical keyUsage', () => {
    const der = certificate({
      extensions: [extension('2.5.29.19', seq(tlv(0x01, [0xff]), tlv(0x02, [0])), true), keyUsage(0x06)],
    });
    const result = parseCertificates(pemOf(der), foundAt);
    expect(result.ok && result.certificates[0]?.isCA).toBe(true);
  });
});
