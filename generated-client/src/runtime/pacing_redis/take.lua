-- One atomic acquire. KEYS: 1 the slots (sorted set: slot id -> when it frees, in ms of
-- Redis's clock), 2 the app's block, 3 the endpoint's block, 4 the slot-id counter.
-- ARGV: 1 calls allowed, 2 lease ms, 3 window ms.
-- Returns {1, slot id} or {0, ms to wait}.
if redis.replicate_commands then redis.replicate_commands() end -- TIME before writes (Redis < 5)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local calls, lease, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

local blocked = math.max(redis.call('PTTL', KEYS[2]), redis.call('PTTL', KEYS[3]))
if blocked > 0 then
  return {0, blocked}
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < calls then
  -- Ids start from the clock when the counter is missing (first use, or Redis lost its data),
  -- so an id held across a restart is never handed out again.
  redis.call('SET', KEYS[4], string.format('%d', now * 1000), 'NX')
  local id = redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], now + lease, id)
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[1], tonumber(last[2]) - now + 1000)
  return {1, id}
end

-- Every slot held. A slot in flight frees no sooner than a window after its call ends, so
-- nothing can free before the earliest score or a window from now, whichever comes first.
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, math.min(tonumber(first[2]) - now, window))}
