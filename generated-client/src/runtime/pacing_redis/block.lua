-- The server answered the rate-limit code: block for ARGV[1] ms, never shortening a longer
-- block already recorded. KEYS: 1 the block key (the app's or the endpoint's).
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
end
return 0
