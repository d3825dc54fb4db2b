import type { ResourceBehaviour } from '../context';
import { ageColumn, nameColumn, type TableColumn } from '../table';
import type { KubeObject, NodeObject, PodObject, SecretObject } from '../types';
import { RESOURCES } from './infos';
import { badRequest } from '../status';
import { admitNodeWrite } from '../node-authorizer';

const column = (name: string, cell: TableColumn['cell']): TableColumn => ({ name, cell });

export const namespaceBehaviour: ResourceBehaviour = {
  info: RESOURCES.namespaces,
  hasStatus: true,
  fields: { 'status.phase': (obj) => (obj.status as { phase?: string } | undefined)?.phase },
  columns: [
    nameColumn,
    column('Status', (obj) => (obj.status as { phase?: string } | undefined)?.phase ?? ''),
    ageColumn,
  ],
  prepareCreate(obj) {
    obj.status = { phase: 'Active' };
  },
  afterDelete(obj, ctx) {
    // Namespace deletion removes what lived in it (the namespace controller, without the Terminating phase).
    for (const info of Object.values(RESOURCES)) {
      if (!info.namespaced) continue;
      for (const item of ctx.store.list(info, obj.metadata.name))
        ctx.store.delete(info, item.metadata.namespace, item.metadata.name ?? '');
    }
  },
};

function nodeReady(node: NodeObject): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
}

export const nodeBehaviour: ResourceBehaviour<NodeObject> = {
  info: RESOURCES.nodes,
  hasStatus: true,
  fields: { 'spec.unschedulable': (obj) => String(Boolean((obj as NodeObject).spec?.unschedulable)) },
  columns: [
    nameColumn,
    column('Status', (obj) => nodeReady(obj)),
    column('Roles', (obj) => {
      const roles = Object.keys(obj.metadata.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length));
      return roles.length > 0 ? roles.join(',') : '<none>';
    }),
    ageColumn,
    column('Version', (obj) =>
      String(((obj as NodeObject).status?.nodeInfo as { kubeletVersion?: string } | undefined)?.kubeletVersion ?? ''),
    ),
  ],
  prepareCreate(node, _ctx, req) {
    admitNodeWrite(req.user, node.metadata.name ?? '');
  },
  prepareUpdate(_next, old, _ctx, req) {
    admitNodeWrite(req.user, old.metadata.name ?? '');
  },
  prepareStatusUpdate(_next, old, _ctx, req) {
    admitNodeWrite(req.user, old.metadata.name ?? '');
  },
};

/** Folds stringData into data, as the API server does on every write. */
function normaliseSecret(secret: SecretObject): void {
  if (secret.stringData) {
    const data = { ...(secret.data ?? {}) };
    for (const [key, value] of Object.entries(secret.stringData))
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
      throw badRequest(`illegal base64 data in secret field data.${key}`);
  }
}

export const secretBehaviour: ResourceBehaviour<SecretObject> = {
  info: RESOURCES.secrets,
  fields: { type: (obj) => (obj as SecretObject).type },
  columns: [
    nameColumn,
    column('Type', (obj) => (obj as SecretObject).type ?? 'Opaque'),
    column('Data', (obj) => Object.keys((obj as SecretObject).data ?? {}).length),
    ageColumn,
  ],
  prepareCreate(secret) {
    secret.type = secret.type || 'Opaque';
    normaliseSecret(secret);
  },
  prepareUpdate(secret, old) {
    secret.type = secret.type || old.type || 'Opaque';
    normaliseSecret(secret);
  },
};

const podPhase = (obj: KubeObject) => (obj as PodObject).status?.phase ?? 'Pending';

export const podBehaviour: ResourceBehaviour<PodObject> = {
  info: RESOURCES.pods,
  hasStatus: true,
  deleteReturnsObject: true,
  fields: { 'spec.nodeName': (obj) => String((obj as PodObject).spec?.nodeName ?? ''), 'status.phase': podPhase },
  columns: [
    nameColumn,
    column('Ready', (obj) => (podPhase(obj) === 'Running' ? '1/1' : '0/1')),
    column('Status', (obj) => (podPhase(obj) === 'Succeeded' ? 'Completed' : podPhase(obj))),
    column('Restarts', () => 0),
    ageColumn,
  ],
  prepareCreate(pod) {
    pod.status = { phase: 'Pending' };
  },
  afterDelete(pod, ctx) {
    ctx.podLogs.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
  },
  subresources: {
    log: {
      get: (ctx, route) => {
        ctx.store.mustGet(RESOURCES.pods, route.namespace, route.name);
        return Promise.resolve({
          code: 200,
          body: ctx.podLogs.get(`${route.namespace}/${route.name}`) ?? '',
          contentType: 'text/plain',
        });
      },
    },
  },
};

export const eventBehaviour: ResourceBehaviour = {
  info: RESOURCES.events,
  fields: {
    'involvedObject.name': (obj) => (obj.involvedObject as { name?: string } | undefined)?.name,
    'involvedObject.kind': (obj) => (obj.involvedObject as { kind?: string } | undefined)?.kind,
    reason: (obj) => obj.reason as string | undefined,
    type: (obj) => obj.type as string | undefined,
  },
  columns: [
    column('Last Seen', (obj, now) => ageColumn.cell(obj, now)),
    column('Type', (obj) => String(obj.type ?? 'Normal')),
    column('Reason', (obj) => String(obj.reason ?? '')),
    column('Object', (obj) => {
      const involved = obj.involvedObject as { kind?: string; name?: string } | undefined;
      return involved ? `${(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}` : '';
    }),
    column('Message', (obj) => String(obj.message ?? '')),
  ],
};
