import { stateKey } from './keys';
import type { RedisClient } from './redis-connection';

/** Slack's replay window: a signed request older than this is refused by its timestamp already. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

/** Slack requests already accepted, by trigger id or event id, for the replay window: one SET NX each. */
export class SeenRequests {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** True the first time an id is offered within the window, false for every replay (on any replica). */
  async firstTime(id: string): Promise<boolean> {
    const set = await this.redis.set(stateKey(this.prefix, 'slack-seen', id), '1', 'EX', REPLAY_WINDOW_SECONDS, 'NX');
    return set === 'OK';
  }
}
