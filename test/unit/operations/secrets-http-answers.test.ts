import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { secretsHttpClient, type SecretsHttpClient } from '../../../src/operations/secrets-http-client';

// The API server's answers are checked for what the re-encryption reads (names, the continue token); every other
// field passes through untouched, so a rewrite sends the Secret back as it came.

let answer = '';
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(answer);
});
let client: SecretsHttpClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  const { port } = server.address() as AddressInfo;
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'sim', user: 'u' }],
    currentContext: 'c',
  });
  client = secretsHttpClient(kc, { maxSockets: 1 });
});
afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const secret = {
  metadata: { name: 'db', namespace: 'shop', resourceVersion: '7', labels: { app: 'db' } },
  type: 'Opaque',
  data: { password: 'cw==' },
};

describe('answers of the Secrets API', () => {
  it('keeps every field of a listed Secret and the continue token', async () => {
    answer = JSON.stringify({ kind: 'SecretList', items: [secret], metadata: { continue: 'next' } });
    expect(await client.list('shop', 10)).toEqual({ items: [secret], continueToken: 'next' });
  });

  it('reads an empty namespace whose list has no items field', async () => {
    answer = JSON.stringify({ kind: 'SecretList', metadata: {} });
    expect(await client.list('shop', 10)).toEqual({ items: [], continueToken: undefined });
  });

  it.each([
    [
      'list',
      'not JSON',
      '<html>proxy error</html>',
      /GET \/api\/v1\/namespaces\/shop\/secrets\?limit=10: the API server's answer is not JSON/,
    ],
    [
      'list',
      'items without names',
      JSON.stringify({ items: [{ metadata: { namespace: 'shop' } }] }),
      /items\.0\.metadata\.name/,
    ],
    [
      'read',
      'not JSON',
      '{"metadata":',
      /GET \/api\/v1\/namespaces\/shop\/secrets\/db: the API server's answer is not JSON/,
    ],
    ['read', 'a Secret without metadata', JSON.stringify({ kind: 'Status' }), /metadata/],
  ])('refuses a %s answer that is %s', async (call, _what, text, message) => {
    answer = text;
    await expect(call === 'list' ? client.list('shop', 10) : client.read('shop', 'db')).rejects.toThrow(message);
  });
});
