import { randomUUID } from 'node:crypto';
import type { SimClock } from './clock';
import { alreadyExists, conflict, notFound } from './status';
import type { KubeObject, ResourceInfo } from './types';
import { apiVersionOf, qualifiedResource } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  info: ResourceInfo;
  object: KubeObject;
  rv: number;
}

export interface StoreOptions {
  /** How many write events the store keeps for watch resumption and continue tokens. */
  historyLimit: number;
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** JSON with object keys sorted and undefined fields dropped, so equal objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function sameStoredContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (obj: KubeObject) => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } });
  return canonical(strip(a)) === canonical(strip(b));
}

/** Asks the storage transformer whether an object's stored bytes are sealed with a key that is no longer the primary. */
export type StaleAtRest = (info: ResourceInfo, stored: KubeObject) => boolean;

/**
 * All objects of the simulated cluster, one global resourceVersion counter (like etcd's revision),
 * and a bounded history of write events that watches replay and that continue tokens depend on.
 */
export class ObjectStore {
  private revision = 100;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  /** Events at or below this revision are gone: watching or continuing from before it is "too old". */
  private compactedRevision = 100;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private staleAtRest: StaleAtRest = () => false;

  constructor(
    private readonly clock: SimClock,
    private readonly options: StoreOptions,
  ) {}

  currentRevision(): number {
    return this.revision;
  }

  compactedAt(): number {
    return this.compactedRevision;
  }

  /** Installs the encryption-at-rest check that lets an unchanged update through (see update()). */
  setStaleAtRest(check: StaleAtRest): void {
    this.staleAtRest = check;
  }

  /** Drops the whole event history, as an etcd compaction would. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  private table(info: ResourceInfo): Map<string, KubeObject> {
    const id = qualifiedResource(info);
    let table = this.tables.get(id);
    if (!table) {
      table = new Map();
      this.tables.set(id, table);
    }
    return table;
  }

  get<T extends KubeObject>(info: ResourceInfo, namespace: string | undefined, name: string): T | undefined {
    const found = this.table(info).get(keyOf(info.namespaced ? namespace : undefined, name));
    return found ? (clone(found) as T) : undefined;
  }

  mustGet<T extends KubeObject>(info: ResourceInfo, namespace: string | undefined, name: string): T {
    const found = this.get<T>(info, namespace, name);
    if (!found) throw notFound(info, name);
    return found;
  }

  /** Every stored object of a kind, read-only and not copied: for sweeps that run on every request. */
  peekAll<T extends KubeObject>(info: ResourceInfo): ReadonlyArray<Readonly<T>> {
    return [...this.table(info).values()] as T[];
  }

  /** How many objects of a kind are stored, in every namespace (the work estimator's object count). */
  count(info: ResourceInfo): number {
    return this.table(info).size;
  }

  /** Objects sorted by key (namespace/name), as etcd returns them. */
  list<T extends KubeObject>(info: ResourceInfo, namespace?: string): T[] {
    const entries = [...this.table(info).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries
      .filter(([, obj]) => !namespace || !info.namespaced || obj.metadata.namespace === namespace)
      .map(([, obj]) => clone(obj) as T);
  }

  create<T extends KubeObject>(info: ResourceInfo, input: T): T {
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    if (!info.namespaced) delete meta.namespace;
    const name = meta.name ?? '';
    const key = keyOf(meta.namespace, name);
    const table = this.table(info);
    if (table.has(key)) throw alreadyExists(info, name);
    meta.uid = randomUUID();
    meta.creationTimestamp = this.clock.timestamp();
    meta.resourceVersion = String(++this.revision);
    table.set(key, obj);
    this.record('ADDED', info, obj);
    return clone(obj);
  }

  /**
   * Replaces an object; a non-empty metadata.resourceVersion must match the stored one (optimistic concurrency).
   * An update that leaves the object as stored is not written (same resourceVersion, no event), as the API
   * server's GuaranteedUpdate skips it, unless the stored bytes are sealed with an old key: then the unchanged
   * object is written again, which is how `kubectl replace` re-encrypts after a key rotation.
   */
  update<T extends KubeObject>(info: ResourceInfo, input: T): T {
    const obj = clone(input);
    const meta = obj.metadata;
    const name = meta.name ?? '';
    const key = keyOf(info.namespaced ? meta.namespace : undefined, name);
    const table = this.table(info);
    const existing = table.get(key);
    if (!existing) throw notFound(info, name);
    if (meta.resourceVersion && meta.resourceVersion !== existing.metadata.resourceVersion) throw conflict(info, name);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    meta.uid = existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    if (!info.namespaced) delete meta.namespace;
    if (sameStoredContent(obj, existing) && !this.staleAtRest(info, existing)) return clone(existing) as T;
    meta.resourceVersion = String(++this.revision);
    table.set(key, obj);
    this.record('MODIFIED', info, obj);
    return clone(obj);
  }

  delete<T extends KubeObject>(info: ResourceInfo, namespace: string | undefined, name: string): T {
    const key = keyOf(info.namespaced ? namespace : undefined, name);
    const table = this.table(info);
    const existing = table.get(key);
    if (!existing) throw notFound(info, name);
    table.delete(key);
    existing.metadata.resourceVersion = String(++this.revision);
    this.record('DELETED', info, existing);
    return clone(existing) as T;
  }

  /** Write events after `revision`, or undefined when the history no longer reaches back that far. */
  eventsSince(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedRevision) return undefined;
    return this.history.filter((event) => event.rv > revision);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(type: WatchEventType, info: ResourceInfo, obj: KubeObject): void {
    const event: StoreEvent = { type, info, object: clone(obj), rv: this.revision };
    this.history.push(event);
    while (this.history.length > this.options.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRevision = dropped.rv;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** Typed access to one resource for tests and the simulator's own controllers (no admission, no auth). */
export class ResourceStore<T extends KubeObject> {
  constructor(
    private readonly store: ObjectStore,
    readonly info: ResourceInfo,
  ) {}

  get(name: string, namespace?: string): T | undefined {
    return this.store.get<T>(this.info, namespace, name);
  }

  list(namespace?: string): T[] {
    return this.store.list<T>(this.info, namespace);
  }

  create(obj: T): T {
    return this.store.create(this.info, obj);
  }

  update(obj: T): T {
    return this.store.update(this.info, obj);
  }

  delete(name: string, namespace?: string): T {
    return this.store.delete<T>(this.info, namespace, name);
  }
}
