import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ACCESS_QUEUE, REENCRYPT_QUEUE, ROTATIONS_QUEUE } from './queue-names';

export interface CertopsQueues {
  rotations: Queue;
  reencrypt: Queue;
  access: Queue;
  byName(name: string): Queue;
  close(): Promise<void>;
}

/** The queues, under the configured prefix (a hash tag such as {certops}, so Redis Cluster keeps them in one slot). */
export function createQueues(connection: Redis, prefix: string): CertopsQueues {
  const rotations = new Queue(ROTATIONS_QUEUE, { connection, prefix });
  const reencrypt = new Queue(REENCRYPT_QUEUE, { connection, prefix });
  const access = new Queue(ACCESS_QUEUE, { connection, prefix });
  return {
    rotations,
    reencrypt,
    access,
    byName(name) {
      if (name === ROTATIONS_QUEUE) return rotations;
      if (name === REENCRYPT_QUEUE) return reencrypt;
      if (name === ACCESS_QUEUE) return access;
      throw new Error(`unknown queue ${name}`);
    },
    async close() {
      await Promise.all([rotations.close(), reencrypt.close(), access.close()]);
    },
  };
}
