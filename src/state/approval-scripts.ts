import { FENCE_CHECK } from './fence';

// Idempotent: the operation id's key remembers a create that ran, so a command re-sent after a lost reply is
// answered 1 again instead of "already exists".
// KEYS: record, pending-by-expiry zset, pending-of-cluster set, operation key. ARGV: json, id, expiresAt ms, op ttl s.
export const CREATE_APPROVAL = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], '1', 'EX', ARGV[4])
return 1
`;

// Compare-and-set: writes only if the record is byte for byte what the caller read, and keeps the pending and
// approved indexes in step with the status in the same step. The operation key makes a re-sent command (a lost
// reply) answer what it answered the first time: {2} = this very operation already wrote. A fenced call (a worker's)
// writes nothing once its lease or job run changed hands.
// KEYS: fence, fence, record, pending-by-expiry zset, pending-of-cluster set, approved set, operation key.
// ARGV: fence value, fence value, expected json, next json, id, still pending (1|0), ttl seconds (0 = keep forever),
//       approved (1|0), operation ttl seconds.
export const COMPARE_AND_SET_APPROVAL = `
if redis.call('EXISTS', KEYS[7]) == 1 then return 2 end
${FENCE_CHECK}
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return 0 end
if tonumber(ARGV[7]) > 0 then
  redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[7])
else
  redis.call('SET', KEYS[3], ARGV[4])
end
if ARGV[6] == '0' then
  redis.call('ZREM', KEYS[4], ARGV[5])
  redis.call('SREM', KEYS[5], ARGV[5])
end
if ARGV[8] == '1' then
  redis.call('SADD', KEYS[6], ARGV[5])
else
  redis.call('SREM', KEYS[6], ARGV[5])
end
redis.call('SET', KEYS[7], '1', 'EX', ARGV[9])
return 1
`;
