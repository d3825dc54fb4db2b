// Shared by the RBAC coverage test: which Kubernetes permission each client method needs.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface Permission {
  group: string; // '' = core
  resource: string; // 'secrets', 'certificatesigningrequests/approval'
  verb: string;
  namespaced: 'own' | 'cluster';
  resourceName?: string;
}

// Every @kubernetes/client-node method the code may call, and what it needs. A method used in src/ but
// missing here fails the test: add the permission here and the rule to deploy/rbac.yaml together.
export const METHOD_PERMISSIONS: Record<string, Permission[]> = {
  listCertificateSigningRequest: [
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'list', namespaced: 'cluster' },
  ],
  readCertificateSigningRequest: [
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'get', namespaced: 'cluster' },
  ],
  replaceCertificateSigningRequestApproval: [
    {
      group: 'certificates.k8s.io',
      resource: 'certificatesigningrequests/approval',
      verb: 'update',
      namespaced: 'cluster',
    },
    {
      group: 'certificates.k8s.io',
      resource: 'signers',
      verb: 'approve',
      namespaced: 'cluster',
      resourceName: 'kubernetes.io/kubelet-serving',
    },
  ],
  readNode: [{ group: '', resource: 'nodes', verb: 'get', namespaced: 'cluster' }],
  listNode: [{ group: '', resource: 'nodes', verb: 'list', namespaced: 'cluster' }],
  createSubjectAccessReview: [
    { group: 'authorization.k8s.io', resource: 'subjectaccessreviews', verb: 'create', namespaced: 'cluster' },
  ],
  listSecretForAllNamespaces: [{ group: '', resource: 'secrets', verb: 'list', namespaced: 'cluster' }],
  listNamespacedSecret: [{ group: '', resource: 'secrets', verb: 'list', namespaced: 'cluster' }],
  readNamespacedSecret: [{ group: '', resource: 'secrets', verb: 'get', namespaced: 'cluster' }],
  replaceNamespacedSecret: [{ group: '', resource: 'secrets', verb: 'update', namespaced: 'cluster' }],
  listNamespace: [{ group: '', resource: 'namespaces', verb: 'list', namespaced: 'cluster' }],
  createNamespacedJob: [{ group: 'batch', resource: 'jobs', verb: 'create', namespaced: 'own' }],
  readNamespacedJob: [{ group: 'batch', resource: 'jobs', verb: 'get', namespaced: 'own' }],
  readNamespacedJobStatus: [{ group: 'batch', resource: 'jobs/status', verb: 'get', namespaced: 'own' }],
  deleteNamespacedJob: [{ group: 'batch', resource: 'jobs', verb: 'delete', namespaced: 'own' }],
  listNamespacedPod: [{ group: '', resource: 'pods', verb: 'list', namespaced: 'own' }],
  readNamespacedPodLog: [{ group: '', resource: 'pods/log', verb: 'get', namespaced: 'own' }],
  readNamespacedLease: [{ group: 'coordination.k8s.io', resource: 'leases', verb: 'get', namespaced: 'own' }],
  createNamespacedLease: [{ group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespaced: 'own' }],
  replaceNamespacedLease: [{ group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespaced: 'own' }],
  // /version is readable by every authenticated user (system:public-info-viewer).
  getCode: [],
  // Temporary access (worker): one CSR per grant, approved by certops itself, read until issued.
  createCertificateSigningRequest: [
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', namespaced: 'cluster' },
  ],
  deleteCertificateSigningRequest: [
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'delete', namespaced: 'cluster' },
  ],
  // Creating or replacing a binding needs bind on the role it names (escalation prevention); `view` stands for
  // the roles the configured access levels name, which deploy/rbac.yaml lists by name.
  createClusterRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'create', namespaced: 'cluster' },
    {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verb: 'bind',
      namespaced: 'cluster',
      resourceName: 'view',
    },
  ],
  replaceClusterRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'update', namespaced: 'cluster' },
    {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verb: 'bind',
      namespaced: 'cluster',
      resourceName: 'view',
    },
  ],
  createNamespacedRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'create', namespaced: 'cluster' },
    {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verb: 'bind',
      namespaced: 'cluster',
      resourceName: 'view',
    },
  ],
  replaceNamespacedRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'update', namespaced: 'cluster' },
    {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verb: 'bind',
      namespaced: 'cluster',
      resourceName: 'view',
    },
  ],
  deleteClusterRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'delete', namespaced: 'cluster' },
  ],
  deleteNamespacedRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'delete', namespaced: 'cluster' },
  ],
  // Revocation and the expiry sweep (bot) find grants by label, cluster-wide and in every namespace.
  listClusterRoleBinding: [
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'list', namespaced: 'cluster' },
  ],
  listRoleBindingForAllNamespaces: [
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'list', namespaced: 'cluster' },
  ],
};

/**
 * Where one call needs something else in one file. The access grant approves its own CSR: that needs approve on
 * the kube-apiserver-client signer only (the worker may approve nothing else), not the kubelet-serving signer
 * the bot's CSR cards approve.
 */
export const FILE_METHOD_PERMISSIONS: Record<string, Record<string, Permission[]>> = {
  'operations/access/access-cluster-api.ts': {
    replaceCertificateSigningRequestApproval: [
      {
        group: 'certificates.k8s.io',
        resource: 'certificatesigningrequests/approval',
        verb: 'update',
        namespaced: 'cluster',
      },
      {
        group: 'certificates.k8s.io',
        resource: 'signers',
        verb: 'approve',
        namespaced: 'cluster',
        resourceName: 'kubernetes.io/kube-apiserver-client',
      },
    ],
  },
};

// Watch and informer paths used with Watch.watch / makeInformer.
export const WATCH_PATH_PERMISSIONS: Record<string, Permission[]> = {
  '/apis/certificates.k8s.io/v1/certificatesigningrequests': [
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'watch', namespaced: 'cluster' },
  ],
};

const CLIENT_METHOD_RE =
  /\b(list|read|create|replace|patch|delete|deleteCollection|watch|connect)[A-Z][A-Za-z]*(?=\()/g;
const WATCH_PATH_RE = /['"`](\/apis?\/[a-z0-9./-]+)['"`]/g;

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

export interface ApiUse {
  file: string;
  name: string;
  kind: 'method' | 'watch';
}

/** Finds the Kubernetes client methods and watch paths a piece of source uses. */
export function findApiUses(file: string, text: string, knownMethods: Set<string>): ApiUse[] {
  const uses: ApiUse[] = [];
  for (const match of text.matchAll(CLIENT_METHOD_RE)) {
    if (knownMethods.has(match[0])) uses.push({ file, name: match[0], kind: 'method' });
  }
  if (/\b(makeInformer|\.watch\()/.test(text)) {
    for (const match of text.matchAll(WATCH_PATH_RE)) uses.push({ file, name: match[1] as string, kind: 'watch' });
  }
  return uses;
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface RoleGrant {
  serviceAccount: string;
  clusterRules: Rule[];
  namespaceRules: Rule[];
}

/** Reads deploy/*.yaml and resolves which rules each ServiceAccount is bound to. */
export function loadGrants(deployDir: string): { grants: Map<string, RoleGrant>; documents: number } {
  const roles = new Map<string, Rule[]>();
  const bindings: Array<{ kind: string; roleKind: string; role: string; subjects: string[] }> = [];
  let documents = 0;
  for (const file of readdirSync(deployDir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(deployDir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const obj = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string };
        rules?: Rule[];
        roleRef?: { kind: string; name: string };
        subjects?: Array<{ name: string }>;
      };
      if (!obj?.kind) throw new Error(`${file}: a document without kind`);
      documents += 1;
      if (obj.kind === 'ClusterRole' || obj.kind === 'Role')
        roles.set(`${obj.kind}/${obj.metadata?.name}`, obj.rules ?? []);
      if (obj.kind === 'ClusterRoleBinding' || obj.kind === 'RoleBinding') {
        bindings.push({
          kind: obj.kind,
          roleKind: obj.roleRef?.kind ?? '',
          role: obj.roleRef?.name ?? '',
          subjects: (obj.subjects ?? []).map((s) => s.name),
        });
      }
    }
  }
  const grants = new Map<string, RoleGrant>();
  for (const binding of bindings) {
    const rules = roles.get(`${binding.roleKind}/${binding.role}`) ?? [];
    for (const subject of binding.subjects) {
      const grant = grants.get(subject) ?? { serviceAccount: subject, clusterRules: [], namespaceRules: [] };
      if (binding.kind === 'ClusterRoleBinding') grant.clusterRules.push(...rules);
      else grant.namespaceRules.push(...rules);
      grants.set(subject, grant);
    }
  }
  return { grants, documents };
}

function ruleAllows(rule: Rule, p: Permission): boolean {
  const nameOk =
    !rule.resourceNames ||
    rule.resourceNames.length === 0 ||
    (p.resourceName !== undefined && rule.resourceNames.includes(p.resourceName));
  return (
    rule.apiGroups.includes(p.group) && rule.resources.includes(p.resource) && rule.verbs.includes(p.verb) && nameOk
  );
}

export function grantAllows(grant: RoleGrant, p: Permission): boolean {
  const rules = p.namespaced === 'own' ? [...grant.namespaceRules, ...grant.clusterRules] : grant.clusterRules;
  return rules.some((rule) => ruleAllows(rule, p));
}

/** Which ServiceAccount runs the code in a file: operations and queue run on workers, the rest on the bot. */
export function serviceAccountFor(file: string, srcDir: string): string {
  const rel = relative(srcDir, file);
  return rel.startsWith('operations') || rel.startsWith('queue') ? 'certops-worker' : 'certops-bot';
}
