import type { RedisClient } from './redis-connection';
import { plural } from '../util/plural';

type ScriptRunner = (keys: string[], args: Array<string | number>) => Promise<unknown>;

/**
 * Registers a Lua script once per client (EVALSHA with a transparent EVAL fallback, courtesy of ioredis)
 * and returns a typed caller. One script = one atomic state change.
 */
export function luaScript(redis: RedisClient, name: string, numberOfKeys: number, lua: string): ScriptRunner {
  const commands = redis as unknown as Record<
    string,
    ((...args: Array<string | number>) => Promise<unknown>) | undefined
  >;
  if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  return (keys, args) => {
    if (keys.length !== numberOfKeys)
      throw new Error(`${name} takes ${plural(numberOfKeys, 'key')}, got ${keys.length}`);
    return (commands[name] as (...args: Array<string | number>) => Promise<unknown>)(...keys, ...args);
  };
}
