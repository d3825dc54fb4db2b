import type { ObjectStore } from './store';
import { RESOURCES } from './resources/infos';
import type { KubeObject, UserInfo } from './types';

/** One PolicyRule of a Role or ClusterRole (non-resource URLs are not modelled: discovery is open to all). */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

export interface RoleObject extends KubeObject {
  rules?: PolicyRule[];
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface BindingObject extends KubeObject {
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: RbacSubject[];
}

/** What is being done: the attributes the RBAC authorizer decides on. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  /** `pods` or `pods/log`. */
  resource: string;
  namespace?: string;
  name?: string;
}

const matches = (values: string[] | undefined, wanted: string) =>
  (values ?? []).includes('*') || (values ?? []).includes(wanted);

/** Does one rule allow the request? (rbac/v1 RuleAllows: verb, group, resource, and resourceNames when set.) */
export function ruleAllows(rule: PolicyRule, attrs: ResourceAttributes): boolean {
  const namesOk =
    !rule.resourceNames ||
    rule.resourceNames.length === 0 ||
    (attrs.name !== undefined && rule.resourceNames.includes(attrs.name));
  return (
    matches(rule.verbs, attrs.verb) &&
    matches(rule.apiGroups, attrs.group) &&
    matches(rule.resources, attrs.resource) &&
    namesOk
  );
}

/** Does a binding's subject list name this user (User, Group, or ServiceAccount)? */
export function subjectsMatch(subjects: RbacSubject[] | undefined, user: UserInfo, bindingNamespace?: string): boolean {
  return (subjects ?? []).some((s) => {
    if (s.kind === 'User') return s.name === user.name;
    if (s.kind === 'Group') return user.groups.includes(s.name);
    if (s.kind === 'ServiceAccount')
      return user.name === `system:serviceaccount:${s.namespace ?? bindingNamespace ?? ''}:${s.name}`;
    return false;
  });
}

/**
 * RBAC over the objects in the store, as kube-apiserver's RBAC authorizer evaluates them: ClusterRoleBindings
 * apply everywhere, RoleBindings only in their namespace (to a Role there or to a ClusterRole); a binding to a
 * role that does not exist grants nothing.
 */
export class RbacModel {
  constructor(private readonly store: ObjectStore) {}

  private rolesOf(binding: BindingObject, namespace: string | undefined): PolicyRule[] {
    const ref = binding.roleRef;
    if (!ref?.name) return [];
    if (ref.kind === 'ClusterRole')
      return this.store.get<RoleObject>(RESOURCES.clusterroles, undefined, ref.name)?.rules ?? [];
    if (ref.kind === 'Role' && namespace)
      return this.store.get<RoleObject>(RESOURCES.roles, namespace, ref.name)?.rules ?? [];
    return [];
  }

  /** Every rule that applies to the user for requests in `namespace` (cluster-scoped when undefined). */
  rulesFor(user: UserInfo, namespace: string | undefined): PolicyRule[] {
    const rules: PolicyRule[] = [];
    for (const binding of this.store.list<BindingObject>(RESOURCES.clusterrolebindings)) {
      if (subjectsMatch(binding.subjects, user)) rules.push(...this.rolesOf(binding, undefined));
    }
    if (namespace) {
      for (const binding of this.store.list<BindingObject>(RESOURCES.rolebindings, namespace)) {
        if (subjectsMatch(binding.subjects, user, namespace)) rules.push(...this.rolesOf(binding, namespace));
      }
    }
    return rules;
  }

  allows(user: UserInfo, attrs: ResourceAttributes): boolean {
    return this.rulesFor(user, attrs.namespace).some((rule) => ruleAllows(rule, attrs));
  }
}

/** The default ClusterRoles every cluster has (a subset of their rules: enough for kubectl get/describe/logs). */
export const BOOTSTRAP_CLUSTER_ROLES: RoleObject[] = [
  {
    metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  },
  {
    metadata: { name: 'admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    rules: [
      {
        apiGroups: [''],
        resources: ['pods', 'pods/log', 'secrets', 'events'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
      {
        apiGroups: ['batch'],
        resources: ['jobs'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles', 'rolebindings'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ],
  },
  {
    metadata: { name: 'edit', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    rules: [
      {
        apiGroups: [''],
        resources: ['pods', 'pods/log', 'secrets', 'events'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
      {
        apiGroups: ['batch'],
        resources: ['jobs'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ],
  },
  {
    // view never reads secrets, as upstream.
    metadata: { name: 'view', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log', 'events', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ],
  },
];
