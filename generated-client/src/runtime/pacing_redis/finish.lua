-- The call holding a slot ended: it frees a window from now. KEYS: 1 the slots.
-- ARGV: 1 slot id, 2 window ms. A slot already freed by its lease (or lost with Redis's data)
-- is not taken again: that could hold more slots than allowed.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local frees = now + tonumber(ARGV[2])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', frees, ARGV[1]) == 1 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[1], tonumber(last[2]) - now + 1000)
end
return 0
