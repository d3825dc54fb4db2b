import { Registry } from 'prom-client';
import { parseCertificates, type CertificateRecord } from '../../../src/core/x509';
import { X509Gauges } from '../../../src/metrics';
import { issueCertificate } from '../../../src/sandbox/pki/issue';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';

const NOW = new Date('2030-01-01T00:00:00Z');

async function record(
  commonName: string,
  notAfter: Date,
  locations: string[],
  serialNumber = '0a1b2c',
): Promise<CertificateRecord> {
  const issued = await issueCertificate({
    commonName,
    notBefore: new Date('2029-01-01T00:00:00Z'),
    notAfter,
    serialNumber,
  });
  const parsed = parseCertificates(issued.certPem, { source: 'secret', location: locations[0] as string });
  if (!parsed.ok) throw new Error(parsed.message);
  return { ...(parsed.certificates[0] as CertificateRecord), locations };
}

function scan(partial: Partial<ClusterScan>): ClusterScan {
  return { cluster: 'prod', certificates: [], keys: [], errors: [], durationSeconds: 1.5, ...partial };
}

function seriesLines(text: string, metric: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${metric}{`));
}

describe('x509 gauges', () => {
  it('exposes one series per certificate location with the exporter labels', async () => {
    const registry = new Registry();
    const gauges = new X509Gauges(registry);
    const web = await record('web.example.com', new Date('2030-06-01T00:00:00Z'), [
      'secret:shop/web-tls#tls.crt',
      'tls:10.0.0.1:443',
    ]);
    gauges.update(scan({ certificates: [web] }), NOW);
    const text = await registry.metrics();

    const notAfter = seriesLines(text, 'x509_cert_not_after');
    expect(notAfter).toHaveLength(2);
    expect(notAfter).toContain(
      'x509_cert_not_after{serial_number="0a1b2c",subject_CN="web.example.com",issuer_CN="web.example.com",secret_namespace="shop",secret_name="web-tls",secret_key="tls.crt",filepath="",cluster="prod"} 1906502400',
    );
    expect(
      notAfter.some((line) => line.includes('filepath="tls:10.0.0.1:443"') && line.includes('secret_name=""')),
    ).toBe(true);
    expect(seriesLines(text, 'x509_cert_not_before')[0]).toMatch(/ 1861920000$/);
    expect(seriesLines(text, 'x509_cert_expired').every((line) => line.endsWith(' 0'))).toBe(true);
    expect(text).toContain('certops_scan_duration_seconds{cluster="prod"} 1.5');
  });

  it('labels a serial whose DER has a sign byte as openssl prints it (8f67…, not 008f67…)', async () => {
    const registry = new Registry();
    const gauges = new X509Gauges(registry);
    gauges.update(
      scan({
        certificates: [
          await record('signed.example.com', new Date('2030-06-01T00:00:00Z'), ['secret:a/b#tls.crt'], '008f67a1'),
        ],
      }),
      NOW,
    );
    expect(seriesLines(await registry.metrics(), 'x509_cert_not_after')).toEqual([
      expect.stringContaining('{serial_number="8f67a1",'),
    ]);
  });

  it('marks an expired certificate with x509_cert_expired 1', async () => {
    const registry = new Registry();
    const gauges = new X509Gauges(registry);
    const old = await record('old', new Date('2029-06-01T00:00:00Z'), ['secret:a/b#tls.crt']);
    gauges.update(scan({ certificates: [old] }), NOW);
    expect(seriesLines(await registry.metrics(), 'x509_cert_expired')).toEqual([
      expect.stringMatching(/secret_name="b".* 1$/),
    ]);
  });

  it('removes the series of certificates no longer found, and only for that cluster', async () => {
    const registry = new Registry();
    const gauges = new X509Gauges(registry);
    const first = await record('first', new Date('2031-01-01T00:00:00Z'), ['secret:a/first#tls.crt']);
    const second = await record('second', new Date('2031-01-01T00:00:00Z'), ['secret:a/second#tls.crt']);
    gauges.update(scan({ certificates: [first, second] }), NOW);
    gauges.update(scan({ cluster: 'staging', certificates: [first] }), NOW);
    gauges.update(scan({ certificates: [second] }), NOW);

    const lines = seriesLines(await registry.metrics(), 'x509_cert_not_after');
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.includes('secret_name="first"') && line.includes('cluster="prod"'))).toBe(false);
    expect(lines.some((line) => line.includes('secret_name="first"') && line.includes('cluster="staging"'))).toBe(true);
    expect(lines.some((line) => line.includes('secret_name="second"') && line.includes('cluster="prod"'))).toBe(true);
  });

  it('counts source errors by source and reason, and exposes the KMS key expiry', async () => {
    const registry = new Registry();
    const gauges = new X509Gauges(registry);
    const errors = [
      { source: 'secret', reason: 'invalid' as const, location: 'secret:a/b#tls.crt', message: 'truncated PEM' },
      { source: 'secret', reason: 'invalid' as const, location: 'secret:a/c#tls.crt', message: 'empty' },
      { source: 'csr', reason: 'source_failed' as const, location: 'csr:prod', message: 'HTTP 500' },
    ];
    const key = {
      cluster: 'prod',
      keyId: 'https://v/keys/etcd/v2',
      keyName: 'etcd',
      version: 'v2',
      expiresOn: new Date('2030-02-01T00:00:00Z'),
      status: 'ok' as const,
      inUse: true,
      newerVersion: false,
      rotationPolicy: true,
    };
    gauges.update(scan({ errors, keys: [key] }), NOW);
    gauges.update(scan({ errors: errors.slice(0, 1), keys: [{ ...key, version: 'v3' }] }), NOW);
    const text = await registry.metrics();

    expect(text).toContain('certops_source_errors_total{source="secret",reason="invalid"} 3');
    expect(text).toContain('certops_source_errors_total{source="csr",reason="source_failed"} 1');
    expect(seriesLines(text, 'certops_kms_key_expiry_timestamp_seconds')).toEqual([
      'certops_kms_key_expiry_timestamp_seconds{cluster="prod",key="etcd",version="v3"} 1896134400',
    ]);
  });

  it('can be created twice on one registry (a restarted monitor)', () => {
    const registry = new Registry();
    new X509Gauges(registry);
    expect(() => new X509Gauges(registry)).not.toThrow();
  });
});
