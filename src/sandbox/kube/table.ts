import type { KubeObject } from './types';

/** One column of a meta.k8s.io/v1 Table, as `kubectl get` prints it. */
export interface TableColumn {
  name: string;
  type?: 'string' | 'integer' | 'date';
  format?: string;
  description?: string;
  cell: (obj: KubeObject, nowMs: number) => string | number;
}

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

export const nameColumn: TableColumn = { name: 'Name', format: 'name', cell: (obj) => obj.metadata.name ?? '' };

export const ageColumn: TableColumn = {
  name: 'Age',
  cell: (obj, now) =>
    obj.metadata.creationTimestamp ? humanDuration(now - Date.parse(obj.metadata.creationTimestamp)) : '<unknown>',
};

export const DEFAULT_COLUMNS: TableColumn[] = [nameColumn, ageColumn];

export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function toTable(
  items: KubeObject[],
  columns: TableColumn[],
  nowMs: number,
  listMeta: Record<string, unknown>,
  includeObject: string | null,
): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c.format ?? '',
      description: c.description ?? c.name,
      priority: 0,
    })),
    rows: items.map((obj) => ({
      cells: columns.map((c) => c.cell(obj, nowMs)),
      object:
        includeObject === 'Object'
          ? obj
          : includeObject === 'None'
            ? undefined
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}
