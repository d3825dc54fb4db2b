import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  FILE_METHOD_PERMISSIONS,
  METHOD_PERMISSIONS,
  WATCH_PATH_PERMISSIONS,
  findApiUses,
  grantAllows,
  loadGrants,
  serviceAccountFor,
  sourceFiles,
  type ApiUse,
} from './rbac-rules';

const root = join(__dirname, '../../..');
const srcDir = join(root, 'src');

// Every method name of the API classes certops may use, so the scan ignores unrelated calls like list().
const apiClasses = [
  k8s.CoreV1Api,
  k8s.CertificatesV1Api,
  k8s.BatchV1Api,
  k8s.CoordinationV1Api,
  k8s.RbacAuthorizationV1Api,
  k8s.VersionApi,
  k8s.AuthorizationV1Api,
];
const knownMethods = new Set(apiClasses.flatMap((cls) => Object.getOwnPropertyNames(cls.prototype)));

function productionUses(): ApiUse[] {
  // The simulators serve the API; they do not call it.
  const files = sourceFiles(srcDir).filter((f) => !f.includes(`${join('src', 'sandbox')}`));
  return files.flatMap((file) => findApiUses(file, readFileSync(file, 'utf8'), knownMethods));
}

describe('deploy/ manifests and RBAC', () => {
  const { grants, documents } = loadGrants(join(root, 'deploy'));

  it('parse, and bind a role to both service accounts', () => {
    expect(documents).toBeGreaterThan(5);
    expect([...grants.keys()].sort()).toEqual(['certops-bot', 'certops-worker']);
  });

  it('grant every Kubernetes API call the code makes to the service account that makes it', () => {
    const uses = productionUses();
    // An empty scan would pass vacuously: the approval write must be among the calls found.
    expect(uses.map((u) => u.name)).toContain('replaceCertificateSigningRequestApproval');
    expect(uses.map((u) => u.name)).toContain('createSubjectAccessReview');
    const missing: string[] = [];
    for (const use of uses) {
      const inFile = FILE_METHOD_PERMISSIONS[relative(srcDir, use.file)]?.[use.name];
      const needed =
        inFile ?? (use.kind === 'method' ? METHOD_PERMISSIONS[use.name] : WATCH_PATH_PERMISSIONS[use.name]);
      if (!needed) {
        missing.push(`${use.file}: ${use.name} has no entry in test/unit/deploy/rbac-rules.ts`);
        continue;
      }
      const account = serviceAccountFor(use.file, srcDir);
      const grant = grants.get(account);
      for (const permission of needed) {
        if (!grant || !grantAllows(grant, permission)) {
          missing.push(
            `${use.file}: ${use.name} needs ${permission.verb} on ${permission.group || 'core'}/${permission.resource} for ${account}`,
          );
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('never grants wildcards or secrets write to the bot', () => {
    for (const grant of grants.values()) {
      for (const rule of [...grant.clusterRules, ...grant.namespaceRules]) {
        expect(rule.verbs).not.toContain('*');
        expect(rule.resources).not.toContain('*');
      }
    }
    const bot = grants.get('certops-bot');
    expect(bot && grantAllows(bot, { group: '', resource: 'secrets', verb: 'update', namespaced: 'cluster' })).toBe(
      false,
    );
  });

  it('limits signer approval to the three signers certops reviews', () => {
    const bot = grants.get('certops-bot');
    const approve = (resourceName: string) =>
      bot !== undefined &&
      grantAllows(bot, {
        group: 'certificates.k8s.io',
        resource: 'signers',
        verb: 'approve',
        namespaced: 'cluster',
        resourceName,
      });
    expect(approve('kubernetes.io/kubelet-serving')).toBe(true);
    expect(approve('kubernetes.io/kube-apiserver-client')).toBe(true);
    expect(approve('kubernetes.io/kube-apiserver-client-kubelet')).toBe(true);
    expect(approve('example.com/anything')).toBe(false);
  });

  it('lets the worker approve access certificates and nothing else, and bind only the roles it names', () => {
    const worker = grants.get('certops-worker');
    const may = (p: Parameters<typeof grantAllows>[1]) => worker !== undefined && grantAllows(worker, p);
    const approve = (resourceName: string) =>
      may({ group: 'certificates.k8s.io', resource: 'signers', verb: 'approve', namespaced: 'cluster', resourceName });
    expect(approve('kubernetes.io/kube-apiserver-client')).toBe(true);
    expect(approve('kubernetes.io/kubelet-serving')).toBe(false);
    expect(approve('kubernetes.io/kube-apiserver-client-kubelet')).toBe(false);
    const bind = (resourceName: string) =>
      may({
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        verb: 'bind',
        namespaced: 'cluster',
        resourceName,
      });
    expect(bind('view')).toBe(true);
    // Holding bind on cluster-admin would let certops hand out everything; the default manifests never grant it.
    expect(bind('cluster-admin')).toBe(false);
    expect(
      may({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate', namespaced: 'cluster' }),
    ).toBe(false);
  });

  it('finds an uncovered call: the scanner itself is not blind', () => {
    const uses = findApiUses(
      'src/operations/x.ts',
      'await api.deleteNamespacedSecret({ name, namespace });',
      knownMethods,
    );
    expect(uses).toEqual([{ file: 'src/operations/x.ts', name: 'deleteNamespacedSecret', kind: 'method' }]);
    expect(METHOD_PERMISSIONS[uses[0]?.name ?? '']).toBeUndefined();
  });
});
