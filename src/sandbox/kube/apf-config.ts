import { randomUUID } from 'node:crypto';
import type { UserInfo } from './types';

/** A limited priority level: its share of the server's seats and how requests queue for them. */
export interface PriorityLevelSpec {
  name: string;
  /** nominalConcurrencyShares: the level's part of the server's concurrency limit. */
  shares: number;
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

/** The bootstrap priority levels a request from certops, a kubelet or a person can land in (Kubernetes 1.29+). */
export const DEFAULT_PRIORITY_LEVELS: readonly PriorityLevelSpec[] = [
  { name: 'system', shares: 30, queues: 64, handSize: 6, queueLengthLimit: 50 },
  { name: 'node-high', shares: 40, queues: 64, handSize: 6, queueLengthLimit: 50 },
  { name: 'leader-election', shares: 10, queues: 16, handSize: 4, queueLengthLimit: 50 },
  { name: 'workload-high', shares: 40, queues: 128, handSize: 6, queueLengthLimit: 50 },
  { name: 'workload-low', shares: 100, queues: 128, handSize: 6, queueLengthLimit: 50 },
  { name: 'global-default', shares: 20, queues: 128, handSize: 6, queueLengthLimit: 50 },
  { name: 'catch-all', shares: 5, queues: 1, handSize: 1, queueLengthLimit: 1 },
];

/** --max-requests-inflight (400) + --max-mutating-requests-inflight (200): the seats all levels share. */
export const DEFAULT_SERVER_CONCURRENCY_LIMIT = 600;

export interface FlowSchemaSpec {
  name: string;
  /** 'exempt' is never limited. */
  priorityLevel: string;
  matches(user: UserInfo): boolean;
}

const inGroup = (group: string) => (user: UserInfo) => user.groups.includes(group);

/** The bootstrap flow schemas, by precedence, reduced to the subjects that reach a simulated cluster. All distinguish flows by user. */
export const DEFAULT_FLOW_SCHEMAS: readonly FlowSchemaSpec[] = [
  { name: 'exempt', priorityLevel: 'exempt', matches: inGroup('system:masters') },
  { name: 'system-nodes', priorityLevel: 'system', matches: inGroup('system:nodes') },
  {
    name: 'service-accounts',
    priorityLevel: 'workload-low',
    matches: (user) => user.groups.includes('system:serviceaccounts') || user.name.startsWith('system:serviceaccount:'),
  },
  { name: 'global-default', priorityLevel: 'global-default', matches: () => true },
];

/** Seats of a level: ceil(server limit × its shares / the sum of all shares), as the API server divides them. */
export function nominalSeats(levels: readonly PriorityLevelSpec[], serverLimit: number): Map<string, number> {
  const total = levels.reduce((sum, l) => sum + l.shares, 0);
  return new Map(levels.map((l) => [l.name, Math.ceil((serverLimit * l.shares) / total)]));
}

/** Object UIDs of the simulated FlowSchemas and PriorityLevelConfigurations, as the response headers name them. */
export function apfUids(): Map<string, string> {
  const uids = new Map<string, string>();
  for (const fs of DEFAULT_FLOW_SCHEMAS) uids.set(`flowschema/${fs.name}`, randomUUID());
  for (const pl of [...DEFAULT_PRIORITY_LEVELS.map((l) => l.name), 'exempt'])
    uids.set(`prioritylevel/${pl}`, randomUUID());
  return uids;
}
