import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { KubeSim } from '../../../src/sandbox/kube';
import { startSim } from './helpers';

const KUBECTL = '/usr/bin/kubectl';
const haveTools = existsSync(KUBECTL);
// Without kubectl these checks cannot run at all; say so instead of passing vacuously.
const describeWithKubectl = haveTools ? describe : describe.skip;
if (!haveTools) test.skip('the real kubectl is not installed at /usr/bin/kubectl', () => undefined);

function run(
  file: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: opts.env ?? process.env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

describeWithKubectl('the real kubectl against kube-sim', () => {
  let sim: KubeSim;
  let dir: string;
  let kubeconfig: string;
  const kubectl = (args: string[], input?: string) =>
    run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { input });

  beforeAll(async () => {
    sim = await startSim();
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
    kubeconfig = join(dir, 'admin.conf');
    await sim.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function applyOpensslCsr(name: string, node: string): Promise<void> {
    const keyPath = join(dir, `${name}.key`);
    const csrPath = join(dir, `${name}.csr`);
    const made = await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-subj',
      `/O=system:nodes/CN=system:node:${node}`,
      '-addext',
      `subjectAltName=DNS:${node},IP:10.0.0.7`,
      '-out',
      csrPath,
    ]);
    expect(made.code).toBe(0);
    const request = Buffer.from(await readFile(csrPath)).toString('base64');
    const manifest = [
      'apiVersion: certificates.k8s.io/v1',
      'kind: CertificateSigningRequest',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  request: ${request}`,
      '  signerName: kubernetes.io/kubelet-serving',
      '  expirationSeconds: 86400',
      '  usages: ["digital signature", "key encipherment", "server auth"]',
    ].join('\n');
    const manifestPath = join(dir, `${name}.yaml`);
    await writeFile(manifestPath, manifest);
    const applied = await kubectl(['apply', '-f', manifestPath]);
    expect(applied).toMatchObject({
      code: 0,
      stdout: `certificatesigningrequest.certificates.k8s.io/${name} created\n`,
    });
  }

  it('applies, lists, describes and approves a CSR made by openssl, and the issued certificate chains to the CA', async () => {
    await applyOpensslCsr('node-worker-7', 'worker-7');
    const listed = await kubectl(['get', 'csr']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION/);
    expect(listed.stdout).toMatch(/node-worker-7\s+\S+\s+kubernetes\.io\/kubelet-serving\s+admin\s+24h\s+Pending/);

    const described = await kubectl(['describe', 'csr', 'node-worker-7']);
    expect(described.stdout).toMatch(/Requesting User:\s+admin/);
    expect(described.stdout).toMatch(/Common Name:\s+system:node:worker-7/);
    expect(described.stdout).toMatch(/DNS Names:\s+worker-7/);

    const approved = await kubectl(['certificate', 'approve', 'node-worker-7']);
    expect(approved).toMatchObject({
      code: 0,
      stdout: 'certificatesigningrequest.certificates.k8s.io/node-worker-7 approved\n',
    });
    expect((await kubectl(['get', 'csr', 'node-worker-7'])).stdout).toMatch(/Approved,Issued/);

    const issued = await kubectl(['get', 'csr', 'node-worker-7', '-o', 'jsonpath={.status.certificate}']);
    const cert = new X509Certificate(Buffer.from(issued.stdout, 'base64'));
    expect(cert.checkIssued(new X509Certificate(sim.caPem()))).toBe(true);
    expect(cert.subject).toContain('CN=system:node:worker-7');
  });

  it('denies a CSR with kubectl certificate deny', async () => {
    await applyOpensslCsr('node-worker-8', 'worker-8');
    const denied = await kubectl(['certificate', 'deny', 'node-worker-8']);
    expect(denied.code).toBe(0);
    const csr = sim.store.csrs.get('node-worker-8');
    expect(csr?.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([['Denied', 'KubectlDeny']]);
    expect((await kubectl(['get', 'csr', 'node-worker-8'])).stdout).toMatch(/node-worker-8.*Denied/);
  });

  it('rewrites every secret with `get secrets -A -o json | replace -f -`, moving them to the current KMS key', async () => {
    sim.store.namespaces.create({ metadata: { name: 'team-b' } });
    sim.store.secrets.create({ metadata: { name: 'one', namespace: 'default' }, data: { k: 'dg==' } });
    sim.store.secrets.create({
      metadata: { name: 'two', namespace: 'team-b' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Yw==', 'tls.key': 'aw==' },
    });
    sim.encryption.setCurrentKey('rotated-2');
    expect(sim.encryption.secretsNotEncryptedWith('rotated-2')).toEqual(['default/one', 'team-b/two']);

    const all = await kubectl(['get', 'secrets', '--all-namespaces', '-o', 'json']);
    expect(all.code).toBe(0);
    const replaced = await kubectl(['replace', '-f', '-'], all.stdout);
    expect(replaced).toMatchObject({ code: 0, stdout: 'secret/one replaced\nsecret/two replaced\n' });
    expect(sim.encryption.secretsNotEncryptedWith('rotated-2')).toEqual([]);
    expect(sim.store.secrets.get('two', 'team-b')?.data).toEqual({ 'tls.crt': 'Yw==', 'tls.key': 'aw==' });
  });

  it('rewrites nothing on a second `get secrets -A -o json | replace -f -` once every secret is under the current key', async () => {
    const before = sim.store.revision();
    const all = await kubectl(['get', 'secrets', '--all-namespaces', '-o', 'json']);
    const replaced = await kubectl(['replace', '-f', '-'], all.stdout);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('secret/one replaced');
    expect(sim.store.revision()).toBe(before);
  });

  it('tells who the caller is with `kubectl auth whoami` (a protobuf SelfSubjectReview)', async () => {
    const whoami = await kubectl(['auth', 'whoami']);
    expect(whoami).toMatchObject({ code: 0, stderr: '' });
    // A token user has a UID; the API server reports it too.
    expect(whoami.stdout).toMatch(
      /^ATTRIBUTE\s+VALUE\nUsername\s+admin\nUID\s+[0-9a-f-]{36}\nGroups\s+\[system:masters system:authenticated\]\n$/,
    );
  });

  it('impersonates with --as and --as-group: whoami shows the impersonated user, and RBAC judges that user', async () => {
    const whoami = await kubectl([
      'auth',
      'whoami',
      '--as',
      'jane',
      '--as-group',
      'auditors',
      '--as-group',
      'devs',
      '-o',
      'json',
    ]);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      kind: 'SelfSubjectReview',
      status: { userInfo: { username: 'jane', groups: ['auditors', 'devs', 'system:authenticated'] } },
    });

    const denied = await kubectl(['get', 'secrets', '-n', 'default', '--as', 'jane']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "default"',
    );

    sim.grant('auditors', ['list'], ['secrets']);
    const allowed = await kubectl([
      'get',
      'secrets',
      '-n',
      'default',
      '--as',
      'jane',
      '--as-group',
      'auditors',
      '-o',
      'name',
    ]);
    expect(allowed).toMatchObject({ code: 0, stdout: 'secret/one\n' });
  });

  it('refuses impersonation to a caller without the impersonate verb, as RBAC does', async () => {
    sim.addUser('viewer', ['viewers']);
    const config = join(dir, 'viewer.conf');
    await writeFile(config, sim.kubeconfig({ user: 'viewer' }));
    const asViewer = (args: string[]) =>
      run(KUBECTL, ['--kubeconfig', config, '--cache-dir', join(dir, 'cache-viewer'), ...args]);
    // --raw skips discovery: with discovery refused too, kubectl reports a refused impersonation only as "unknown".
    const refused = await asViewer(['get', '--raw', '/api/v1/namespaces/default/secrets', '--as', 'admin']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'Error from server (Forbidden): users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope',
    );

    sim.grant('viewers', ['impersonate'], ['users']);
    const groupRefused = await asViewer([
      'get',
      '--raw',
      '/api/v1/namespaces/default/secrets',
      '--as',
      'admin',
      '--as-group',
      'system:masters',
    ]);
    expect(groupRefused.stderr).toContain(
      'groups "system:masters" is forbidden: User "viewer" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    const allowed = await asViewer(['auth', 'whoami', '--as', 'admin']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/Username\s+admin\nGroups\s+\[system:authenticated\]/);
  });

  it('fails with "x509: certificate signed by unknown authority" on a kubeconfig from before rotateCa()', async () => {
    const oldConfig = join(dir, 'old.conf');
    await sim.writeKubeconfig(oldConfig);
    await sim.rotateCa();
    const failed = await run(KUBECTL, [
      '--kubeconfig',
      oldConfig,
      '--cache-dir',
      join(dir, 'cache-old'),
      'get',
      'nodes',
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('x509: certificate signed by unknown authority');
    await sim.writeKubeconfig(kubeconfig);
    expect((await kubectl(['get', 'nodes'])).code).toBe(0);
  });
});
