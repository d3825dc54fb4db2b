import type { ReadinessCheck } from '../server/http-server';

/** Something the service started and must stop, in reverse order, on shutdown. */
export interface Part {
  name: string;
  stop(): Promise<void>;
  readiness?: ReadinessCheck[];
}
