import 'reflect-metadata';
import { issueCertificate } from '../../src/sandbox/pki/issue';
import { startE2eStack, type E2eStack } from '../helpers/e2e-stack';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('/metrics of the running service', () => {
  let stack: E2eStack;
  const notAfter = new Date(Math.floor(Date.now() / 1000 + 40 * 86400) * 1000);

  beforeAll(async () => {
    const leaf = await issueCertificate({ commonName: 'metrics.example.com', notAfter, serialNumber: '0c0ffee1' });
    stack = await startE2eStack({
      config: (sims) => {
        sims.kube.store.secrets.create({
          metadata: { namespace: 'shop', name: 'web-tls' },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64(leaf.certPem), 'tls.key': b64(leaf.keyPem) },
        });
        sims.kube.store.secrets.create({
          metadata: { namespace: 'shop', name: 'broken-tls' },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64('not a certificate') },
        });
        return { expiry: { scanInterval: '1h' } };
      },
    });
    await stack.certops.waitForLog(/"msg":"expiry scan finished"/, 30_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('exposes each certificate found with the x509-certificate-exporter labels, the scan duration and source errors', async () => {
    const res = await fetch(`${stack.certops.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('x509_cert_not_after{') && l.includes('secret_namespace="shop",secret_name="web-tls"'));
    expect(line).toContain('serial_number="0c0ffee1"');
    expect(line).toContain('subject_CN="metrics.example.com"');
    expect(line).toContain('cluster="sim"');
    expect(line?.endsWith(` ${notAfter.getTime() / 1000}`)).toBe(true);
    expect(text).toMatch(/^certops_scan_duration_seconds\{cluster="sim"\} \d+(\.\d+)?(e-\d+)?$/m);
    expect(text).toMatch(/^certops_source_errors_total\{source="secret",reason="invalid"\} [1-9]/m);
  });

  it('opens no port facing Slack in Socket Mode: only the metrics listener answers', async () => {
    await expect(fetch(`${stack.certops.baseUrl}/metrics`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect((await fetch(`${stack.certops.metricsUrl}/readyz`)).status).toBe(200);
  });
});
