import type { Reply } from './context';
import { ALL_RESOURCES } from './resources/infos';
import type { ResourceInfo } from './types';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groups(): Map<string, ResourceInfo[]> {
  const byGroup = new Map<string, ResourceInfo[]>();
  for (const info of ALL_RESOURCES) byGroup.set(info.group, [...(byGroup.get(info.group) ?? []), info]);
  return byGroup;
}

function resourceList(groupVersion: string, infos: ResourceInfo[]): unknown {
  const resources: unknown[] = [];
  for (const info of infos) {
    resources.push({
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      ...(info.shortNames ? { shortNames: info.shortNames } : {}),
    });
    for (const [sub, verbs] of Object.entries(info.subresources ?? {})) {
      resources.push({
        name: `${info.plural}/${sub}`,
        singularName: '',
        namespaced: info.namespaced,
        kind: sub === 'log' ? 'Pod' : info.kind,
        verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function groupEntry(name: string, infos: ResourceInfo[]): unknown {
  const version = infos[0]?.version ?? 'v1';
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

/**
 * Legacy discovery documents. kubectl asks for aggregated discovery first and falls back to these when the
 * reply is plain application/json.
 */
export function discovery(path: string, serverAddress: string): Reply | undefined {
  const byGroup = groups();
  if (path === '/version') return { code: 200, body: SERVER_VERSION };
  // An empty protobuf OpenAPI v2 document: kubectl's client-side validation then finds no schema and lets the
  // server decide, instead of failing with "failed to download openapi". /openapi/v3 stays 404.
  if (path === '/openapi/v2') return { code: 200, body: '', contentType: 'application/octet-stream' };
  if (path === '/api') {
    return {
      code: 200,
      body: {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      },
    };
  }
  if (path === '/api/v1') return { code: 200, body: resourceList('v1', byGroup.get('') ?? []) };
  if (path === '/apis') {
    const named = [...byGroup.entries()].filter(([group]) => group !== '');
    return {
      code: 200,
      body: { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(([group, infos]) => groupEntry(group, infos)) },
    };
  }
  const match = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (match) {
    const [, group = '', version] = match;
    const infos = byGroup.get(group);
    if (!infos || group === '') return undefined;
    if (!version)
      return { code: 200, body: { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(group, infos) as object) } };
    if (infos.some((i) => i.version === version))
      return {
        code: 200,
        body: resourceList(
          `${group}/${version}`,
          infos.filter((i) => i.version === version),
        ),
      };
  }
  return undefined;
}
