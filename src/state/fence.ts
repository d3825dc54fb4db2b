/**
 * What a write must still find in Redis to be allowed: the cluster lease of its request and the lock of the job run
 * making it. A worker that was paused or cut off past its TTLs finds another value there and writes nothing.
 * Scripts take the fence as their first two keys and first two arguments; an empty expected value is not checked.
 */
export interface Fence {
  keys: [string, string];
  values: [string, string];
}

/** Lua prelude: returns the FENCED error before anything is written when a fenced key changed hands. */
export const FENCE_CHECK = `
for i = 1, 2 do
  if ARGV[i] ~= '' and redis.call('GET', KEYS[i]) ~= ARGV[i] then
    return redis.error_reply('FENCED ' .. KEYS[i] .. ' changed hands')
  end
end
`;

/** No fence: the bot's own writes, which no lease guards. `anyKey` keeps the script's keys in the record's slot. */
export function unfenced(anyKey: string): Fence {
  return { keys: [anyKey, anyKey], values: ['', ''] };
}

/** The error a fenced script answers with: the writer lost its lease or its job, and must stop without writing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export function isFencedReply(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('FENCED ');
}

/** Runs a fenced script call; a FENCED reply becomes a LeaseLostError naming what was refused. */
export async function fencedCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isFencedReply(err))
      throw new LeaseLostError(
        `${what} refused: ${(err as Error).message.slice('FENCED '.length)}; another worker owns this work now`,
      );
    throw err;
  }
}
