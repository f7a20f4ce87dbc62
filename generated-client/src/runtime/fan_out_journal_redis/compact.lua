-- Keeps a job's header, outcomes and pending chunks (claims and intents without an outcome);
-- drops the chunk counter (claim.lua skips answered and claimed chunks without it).
-- KEYS: header, next, claims, intents, outcomes. Answers -1 when the job has no journal.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
for _, key in ipairs({KEYS[3], KEYS[4]}) do
  for _, chunk in ipairs(redis.call('HKEYS', key)) do
    if redis.call('HEXISTS', KEYS[5], chunk) == 1 then
      redis.call('HDEL', key, chunk)
    end
  end
end
redis.call('DEL', KEYS[2])
return redis.call('HLEN', KEYS[5])
