import type { ApiRequest, ResourceBehaviour, SimContext } from '../context';
import type { BindingObject, PolicyRule, RoleObject } from '../rbac';
import { ApiError, fieldError, invalid, statusBody } from '../status';
import { ageColumn, nameColumn } from '../table';
import type { ResourceInfo } from '../types';
import { RESOURCES } from './infos';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function forbiddenEscalation(info: ResourceInfo, name: string, req: ApiRequest, detail: string): ApiError {
  const message = `${info.plural}.${RBAC_GROUP} "${name}" is forbidden: user "${req.user.name}" (groups=${JSON.stringify(req.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${detail}`;
  return new ApiError(statusBody(403, message, 'Forbidden', { name, group: RBAC_GROUP, kind: info.plural }));
}

/** The rules the user lacks in `namespace` (each expanded to single verb/group/resource/name attributes). */
function missingRules(ctx: SimContext, req: ApiRequest, rules: PolicyRule[], namespace: string | undefined): string[] {
  const authorize = ctx.authorize;
  if (!authorize) return [];
  const missing: string[] = [];
  for (const rule of rules) {
    for (const verb of rule.verbs ?? []) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          const names = rule.resourceNames && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
          for (const name of names) {
            if (!authorize(req.user, { verb, group, resource, namespace, name })) {
              missing.push(
                `{APIGroups:[${JSON.stringify(group)}], Resources:[${JSON.stringify(resource)}], ${name ? `ResourceNames:[${JSON.stringify(name)}], ` : ''}Verbs:[${JSON.stringify(verb)}]}`,
              );
            }
          }
        }
      }
    }
  }
  return missing;
}

function validateBinding(info: ResourceInfo, binding: BindingObject): void {
  const ref = binding.roleRef;
  const name = binding.metadata.name ?? '';
  const allowed = info === RESOURCES.clusterrolebindings ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!ref?.name) throw invalid(info, name, [fieldError.required('roleRef.name')]);
  if (ref.apiGroup !== RBAC_GROUP)
    throw invalid(info, name, [fieldError.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP])]);
  if (!allowed.includes(ref.kind ?? ''))
    throw invalid(info, name, [fieldError.notSupported('roleRef.kind', ref.kind ?? '', allowed)]);
  for (const [i, subject] of (binding.subjects ?? []).entries()) {
    if (!['User', 'Group', 'ServiceAccount'].includes(subject.kind)) {
      throw invalid(info, name, [
        fieldError.notSupported(`subjects[${i}].kind`, subject.kind, ['ServiceAccount', 'User', 'Group']),
      ]);
    }
    if (!subject.name) throw invalid(info, name, [fieldError.required(`subjects[${i}].name`)]);
  }
}

/**
 * Escalation prevention for bindings: the creator needs the `bind` verb on the referenced role, or must
 * already hold every permission the role grants (in the binding's namespace for a RoleBinding).
 */
function checkBind(info: ResourceInfo, binding: BindingObject, ctx: SimContext, req: ApiRequest): void {
  const ref = binding.roleRef ?? {};
  const namespace = info === RESOURCES.rolebindings ? binding.metadata.namespace : undefined;
  const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
  if (ctx.authorize?.(req.user, { verb: 'bind', group: RBAC_GROUP, resource: roleResource, namespace, name: ref.name }))
    return;
  const role =
    ref.kind === 'ClusterRole'
      ? ctx.store.get<RoleObject>(RESOURCES.clusterroles, undefined, ref.name ?? '')
      : ctx.store.get<RoleObject>(RESOURCES.roles, namespace, ref.name ?? '');
  if (!role) throw forbiddenEscalation(info, binding.metadata.name ?? '', req, `${ref.kind} "${ref.name}" not found`);
  const missing = missingRules(ctx, req, role.rules ?? [], namespace);
  if (missing.length > 0) throw forbiddenEscalation(info, binding.metadata.name ?? '', req, missing.join('\n'));
}

/** Escalation prevention for roles: the `escalate` verb, or every rule already held. */
function checkEscalate(info: ResourceInfo, role: RoleObject, ctx: SimContext, req: ApiRequest): void {
  const namespace = info === RESOURCES.roles ? role.metadata.namespace : undefined;
  if (
    ctx.authorize?.(req.user, {
      verb: 'escalate',
      group: RBAC_GROUP,
      resource: info.plural,
      namespace,
      name: role.metadata.name,
    })
  )
    return;
  const missing = missingRules(ctx, req, role.rules ?? [], namespace);
  if (missing.length > 0) throw forbiddenEscalation(info, role.metadata.name ?? '', req, missing.join('\n'));
}

function bindingBehaviour(info: ResourceInfo): ResourceBehaviour<BindingObject> {
  return {
    info,
    columns: [
      nameColumn,
      {
        name: 'Role',
        cell: (obj) => `${(obj as BindingObject).roleRef?.kind ?? ''}/${(obj as BindingObject).roleRef?.name ?? ''}`,
      },
      ageColumn,
    ],
    prepareCreate(binding, ctx, req) {
      validateBinding(info, binding);
      checkBind(info, binding, ctx, req);
    },
    prepareUpdate(next, old, ctx, req) {
      validateBinding(info, next);
      const before = old.roleRef ?? {};
      const after = next.roleRef ?? {};
      if (before.kind !== after.kind || before.name !== after.name || before.apiGroup !== after.apiGroup) {
        throw invalid(info, old.metadata.name ?? '', [fieldError.invalid('roleRef', after, 'cannot change roleRef')]);
      }
      checkBind(info, next, ctx, req);
    },
  };
}

function roleBehaviour(info: ResourceInfo): ResourceBehaviour<RoleObject> {
  return {
    info,
    columns: [nameColumn, ageColumn],
    prepareCreate: (role, ctx, req) => checkEscalate(info, role, ctx, req),
    prepareUpdate: (next, _old, ctx, req) => checkEscalate(info, next, ctx, req),
  };
}

export const clusterRoleBehaviour = roleBehaviour(RESOURCES.clusterroles);
export const roleObjectBehaviour = roleBehaviour(RESOURCES.roles);
export const clusterRoleBindingBehaviour = bindingBehaviour(RESOURCES.clusterrolebindings);
export const roleBindingBehaviour = bindingBehaviour(RESOURCES.rolebindings);
