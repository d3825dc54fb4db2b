import { X509Certificate } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, type IssuedCert } from '../../../../src/sandbox/pki/issue';
import { parseCertificates, type CertificateRecord } from '../../../../src/core/x509';
import { formatIpBytes } from '../../../../src/core/x509/ip-address';
import {
  BMP,
  IA5,
  PRINTABLE,
  T61,
  UNIVERSAL,
  UTF8,
  basicConstraints,
  certificate,
  extension,
  generalizedTime,
  keyUsage,
  name,
  pemOf,
  seq,
  tlv,
  utcTime,
  type Attribute,
} from './der-builder';

// The record fields used to come from node:crypto's X509Certificate; they are now read from the DER.
// This compares the two, field by field, over certificates made by three different encoders.

const foundAt = { source: 'test', location: 'corpus' };

/** What the records held when node:crypto produced them. */
function viaNodeCrypto(der: Uint8Array) {
  const cert = new X509Certificate(der);
  const lines = (text: string) => text.split('\n').filter(Boolean);
  const lastCn = (text: string) =>
    lines(text)
      .flatMap((line) => line.split(' + '))
      .filter((a) => a.startsWith('CN='))
      .map((a) => a.slice(3))
      .pop() ?? '';
  const sans = (cert.subjectAltName ?? '').split(', ').filter(Boolean);
  const ipText = (text: string) =>
    text.includes(':')
      ? formatIpBytes(
          Buffer.from(
            text
              .split(':')
              .map((group) => group.padStart(4, '0'))
              .join(''),
            'hex',
          ),
        )
      : text;
  return {
    subject: lines(cert.subject).join(', '),
    subjectCN: lastCn(cert.subject),
    issuer: lines(cert.issuer).join(', '),
    issuerCN: lastCn(cert.issuer),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    isCA: cert.ca,
    dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    ipAddresses: sans.filter((s) => s.startsWith('IP Address:')).map((s) => ipText(s.slice(11))),
    fingerprint256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function viaDer(der: Uint8Array) {
  const result = parseCertificates(pemOf(der), foundAt);
  if (!result.ok) throw new Error(result.message);
  const record = result.certificates[0] as CertificateRecord;
  return {
    subject: record.subject,
    subjectCN: record.subjectCN,
    issuer: record.issuer,
    issuerCN: record.issuerCN,
    serialNumber: record.serialNumber,
    notBefore: record.notBefore.toISOString(),
    notAfter: record.notAfter.toISOString(),
    isCA: record.isCA,
    dnsNames: record.dnsNames,
    ipAddresses: record.ipAddresses,
    fingerprint256: record.fingerprint256,
  };
}

const corpus: Array<[string, Uint8Array]> = [];
const derOf = (issued: IssuedCert) => new Uint8Array(issued.cert.rawData);

// Names with every string type, the characters OpenSSL escapes, and every attribute type in the table.
const odd = (value: string): Attribute[][] => [[['2.5.4.3', UTF8, value]]];
const built: Array<[string, Buffer]> = [
  [
    'kubeadm-style C/ST/L/O/OU/CN',
    certificate({
      subject: name([
        [['2.5.4.6', PRINTABLE, 'US']],
        [['2.5.4.8', PRINTABLE, 'WA']],
        [['2.5.4.7', PRINTABLE, 'Redmond']],
        [['2.5.4.10', UTF8, 'system:masters']],
        [['2.5.4.11', UTF8, 'aks']],
        [['2.5.4.3', UTF8, 'kubernetes-admin']],
      ]),
    }),
  ],
  [
    'every string type',
    certificate({
      subject: name([
        [['2.5.4.3', T61, [0xe9, 0x41]]],
        [['2.5.4.10', BMP, Buffer.from('00e94e2d', 'hex')]],
        [['2.5.4.11', UNIVERSAL, Buffer.from('0001f600', 'hex')]],
        [['1.2.840.113549.1.9.1', IA5, 'a@b.c']],
        [['2.5.4.5', PRINTABLE, '1234']],
      ]),
    }),
  ],
  [
    'characters OpenSSL escapes',
    certificate({
      subject: name([
        [['2.5.4.3', UTF8, 'a,b;c+d<e>f"g\\h=i']],
        [['2.5.4.10', UTF8, '#lead']],
        [['2.5.4.11', UTF8, ' both ']],
        [['2.5.4.7', UTF8, '\x01\n\x7f\0']],
      ]),
    }),
  ],
  [
    'one-character values',
    certificate({ subject: name([[['2.5.4.3', UTF8, '#']], [['2.5.4.10', UTF8, ' ']], [['2.5.4.11', UTF8, ',']]]) }),
  ],
  ['UTF-8 of every width', certificate({ subject: name(odd('é中😀 Köln')) })],
  [
    'a multi-valued RDN',
    certificate({
      subject: name([
        [
          ['2.5.4.3', UTF8, 'node'],
          ['0.9.2342.19200300.100.1.1', UTF8, '1000'],
        ],
        [['2.5.4.10', UTF8, 'system:nodes']],
      ]),
    }),
  ],
  [
    'every named attribute type and an unknown one',
    certificate({
      subject: name(
        [
          '2.5.4.4',
          '2.5.4.5',
          '2.5.4.9',
          '2.5.4.12',
          '2.5.4.13',
          '2.5.4.15',
          '2.5.4.16',
          '2.5.4.17',
          '2.5.4.18',
          '2.5.4.19',
          '2.5.4.20',
          '2.5.4.41',
          '2.5.4.42',
          '2.5.4.43',
          '2.5.4.44',
          '2.5.4.45',
          '2.5.4.46',
          '2.5.4.65',
          '2.5.4.72',
          '2.5.4.97',
          '1.2.840.113549.1.9.2',
          '0.9.2342.19200300.100.1.25',
          '1.3.6.1.4.1.311.60.2.1.1',
          '1.3.6.1.4.1.311.60.2.1.2',
          '1.3.6.1.4.1.311.60.2.1.3',
          '1.2.3.4.5.99999',
        ].map((type) => [[type, UTF8, 'v']]),
      ),
    }),
  ],
  [
    'UTCTime at both ends of its range',
    certificate({ validity: seq(utcTime('500101000000Z'), utcTime('491231235959Z')) }),
  ],
  [
    'GeneralizedTime after 2050',
    certificate({ validity: seq(generalizedTime('20500101000000Z'), generalizedTime('99991231235959Z')) }),
  ],
  ['a leap day', certificate({ validity: seq(utcTime('240229120000Z'), generalizedTime('20960229120000Z')) })],
  ['a CA without keyUsage', certificate({ extensions: [basicConstraints(true)] })],
  [
    'a CA whose keyUsage forbids signing certificates',
    certificate({ extensions: [basicConstraints(true), keyUsage(0x80)] }),
  ],
  ['keyCertSign without basicConstraints', certificate({ extensions: [keyUsage(0x04)] })],
  ['a version 1 certificate', certificate({ version: null, extensions: null })],
  [
    'a version 2 certificate with unique IDs',
    certificate({
      version: tlv(0xa0, tlv(0x02, [1])),
      afterKey: [tlv(0x81, [0, 1]), tlv(0x82, [0, 2])],
      extensions: null,
    }),
  ],
  [
    'SANs of every kind',
    certificate({
      extensions: [
        extension(
          '2.5.29.17',
          seq(
            tlv(0x82, 'a.example'),
            tlv(0x87, [10, 0, 0, 1]),
            tlv(0x87, Buffer.from('fd000000000000000000000000000001', 'hex')),
            tlv(0x81, 'x@y.z'),
            tlv(0x86, 'spiffe://td/ns/x'),
            tlv(0xa4, name(odd('dir'))),
            tlv(0x88, [0x2a, 0x03]),
          ),
        ),
      ],
    }),
  ],
];

const openssl = spawnSync('openssl', ['version']).status === 0;
const opensslSubjects: Array<[string, string[]]> = [
  [
    'a UTF-8 subject valid past 2050',
    [
      '-utf8',
      '-days',
      '36500',
      '-subj',
      '/DC=com/DC=example/C=DE/ST=Nordrhein-Westfalen/L=Köln/O=Ünïcødé GmbH/OU=Platform/OU=SRE/CN=Jürgen 中文 😀/emailAddress=j@example.com/serialNumber=42',
    ],
  ],
  [
    'escapes and a multi-valued RDN',
    [
      '-multivalue-rdn',
      '-days',
      '10',
      '-subj',
      '/CN=node+UID=1000/O=system:nodes/OU=#hash, comma\\+plus "q" <lt> ;semi\\\\back /title= lead',
    ],
  ],
  [
    'a leaf with SANs',
    [
      '-days',
      '30',
      '-subj',
      '/CN=leaf/O=cert-manager',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'subjectAltName=DNS:a.example,IP:10.1.2.3,IP:2001:db8::5',
    ],
  ],
];

beforeAll(async () => {
  const ecCa = await issueCertificate({ commonName: 'kubernetes', isCA: true });
  const rsaCa = await issueCertificate({
    commonName: 'front-proxy-ca',
    organizations: ['kubeadm'],
    isCA: true,
    key: 'rsa-2048',
  });
  corpus.push(['EC CA', derOf(ecCa)], ['RSA CA', derOf(rsaCa)]);
  corpus.push([
    'EC leaf of an EC CA',
    derOf(
      await issueCertificate(
        {
          commonName: 'kube-apiserver',
          organizations: ['a', 'b'],
          dnsNames: ['kubernetes.default'],
          ipAddresses: ['10.96.0.1', '2001:db8::1'],
        },
        ecCa,
      ),
    ),
  ]);
  corpus.push([
    'RSA leaf of an EC CA',
    derOf(await issueCertificate({ commonName: 'etcd-peer', key: 'rsa-1024', usages: ['server', 'client'] }, ecCa)),
  ]);
  corpus.push([
    'EC leaf of an RSA CA, escaped CN',
    derOf(
      await issueCertificate({ commonName: 'a,b+c=d', organizations: ['system:masters'], serialNumber: '00ff' }, rsaCa),
    ),
  ]);
  corpus.push([
    'expired, dated past 2050',
    derOf(
      await issueCertificate({
        commonName: 'old',
        notBefore: new Date('2051-03-04T05:06:07Z'),
        notAfter: new Date('2049-01-01T00:00:00Z'),
      }),
    ),
  ]);
  corpus.push(...built);
  if (!openssl) return;
  const dir = mkdtempSync(join(tmpdir(), 'certops-x509-'));
  try {
    opensslSubjects.forEach(([label, args], index) => {
      const out = join(dir, `${index}.der`);
      const key = [
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, `${index}.key`),
      ];
      execFileSync('openssl', ['req', '-x509', ...key, '-outform', 'DER', '-out', out, ...args], { stdio: 'ignore' });
      corpus.push([`openssl: ${label}`, new Uint8Array(readFileSync(out))]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('fields read from the DER are the ones node:crypto reads', () => {
  it('agrees on every field for every certificate of the corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(built.length + 6 + (openssl ? opensslSubjects.length : 0));
    for (const [label, der] of corpus) {
      expect({ label, ...viaDer(der) }).toEqual({ label, ...viaNodeCrypto(der) });
    }
  });

  it('formats names exactly as records always had them', () => {
    const byLabel = new Map(corpus.map(([label, der]) => [label, viaDer(der)]));
    expect(byLabel.get('kubeadm-style C/ST/L/O/OU/CN')?.subject).toBe(
      'C=US, ST=WA, L=Redmond, O=system:masters, OU=aks, CN=kubernetes-admin',
    );
    expect(byLabel.get('characters OpenSSL escapes')?.subject).toBe(
      'CN=a\\,b\\;c\\+d\\<e\\>f\\"g\\\\h=i, O=\\#lead, OU=\\ both\\ , L=\\01\\0A\\7F\\00',
    );
    expect(byLabel.get('one-character values')?.subject).toBe('CN=#, O=\\ , OU=\\,');
    expect(byLabel.get('a multi-valued RDN')).toMatchObject({
      subject: 'CN=node + UID=1000, O=system:nodes',
      subjectCN: 'node',
    });
    expect(byLabel.get('every string type')?.subject).toBe(
      'CN=éA, O=é中, OU=😀, emailAddress=a@b.c, serialNumber=1234',
    );
  });

  it('keeps the rule for isCA: basicConstraints cA and, if present, keyUsage keyCertSign', () => {
    const isCA = new Map(corpus.map(([label, der]) => [label, viaDer(der).isCA]));
    expect([
      isCA.get('EC CA'),
      isCA.get('a CA without keyUsage'),
      isCA.get('a CA whose keyUsage forbids signing certificates'),
      isCA.get('keyCertSign without basicConstraints'),
      isCA.get('a version 1 certificate'),
    ]).toEqual([true, true, false, false, false]);
  });
});
