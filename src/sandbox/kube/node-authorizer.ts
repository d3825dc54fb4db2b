import { ApiError, statusBody } from './status';
import type { UserInfo } from './types';

// The Node authorizer and NodeRestriction admission, for what the simulator serves. A kubelet (user
// system:node:<name> in group system:nodes) may register and read Nodes and write Node status, but not
// read nodes/status; admission then limits every write to its own Node. So Node.status.addresses is
// whatever the kubelet says about itself, and only about itself.

export const NODES_GROUP = 'system:nodes';
const NODE_PREFIX = 'system:node:';

/** The node a caller is, when it authenticates as a kubelet. */
export function nodeNameOf(user: UserInfo): string | undefined {
  return user.groups.includes(NODES_GROUP) && user.name.startsWith(NODE_PREFIX)
    ? user.name.slice(NODE_PREFIX.length)
    : undefined;
}

// Verbs per resource[/subresource] of the Node authorizer's static rules (bootstrappolicy NodeRules) that
// the simulator models. Anything else a kubelet asks for needs an explicit grant.
const NODE_RULES: Record<string, string[]> = {
  nodes: ['create', 'get', 'list', 'watch', 'update', 'patch'],
  'nodes/status': ['update', 'patch'],
  certificatesigningrequests: ['create', 'get', 'list', 'watch'],
  subjectaccessreviews: ['create'],
};

export function nodeAuthorizerAllows(user: UserInfo, verb: string, resource: string): boolean {
  if (nodeNameOf(user) === undefined) return false;
  return NODE_RULES[resource]?.includes(verb) ?? false;
}

/** NodeRestriction: a kubelet creates and modifies its own Node only. */
export function admitNodeWrite(user: UserInfo, target: string): void {
  const self = nodeNameOf(user);
  if (self === undefined || self === target) return;
  throw new ApiError(
    statusBody(
      403,
      `nodes "${target}" is forbidden: node "${self}" is not allowed to modify node "${target}"`,
      'Forbidden',
      { name: target, kind: 'nodes' },
    ),
  );
}
