// KEYS: record, pending-by-expiry zset, pending-of-cluster set. ARGV: json, id, expiresAt ms.
export const CREATE_APPROVAL = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`;

// Compare-and-set: writes only if the record is byte for byte what the caller read, and keeps the pending
// indexes in step with the status in the same step.
// KEYS: record, pending-by-expiry zset, pending-of-cluster set.
// ARGV: expected json, next json, id, still pending (1|0), ttl seconds (0 = keep forever).
export const COMPARE_AND_SET_APPROVAL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
if ARGV[4] == '0' then
  redis.call('ZREM', KEYS[2], ARGV[3])
  redis.call('SREM', KEYS[3], ARGV[3])
end
return 1
`;
