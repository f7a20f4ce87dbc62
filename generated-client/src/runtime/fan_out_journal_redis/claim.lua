-- Claims a chunk of the job for owner ARGV[1]: the next one never claimed nor answered, else one
-- claimed by an owner whose liveness key (ARGV[3] .. owner) has expired, or one of ARGV[1]'s own
-- that it no longer has in flight (ARGV[4], ",k,k,": a claim whose answer it lost).
-- KEYS: next, claims, intents, outcomes. ARGV[2]: the number of chunks.
-- Answers {1, chunk, ''} fresh; {2, chunk, intent or ''} taken over; {0, -1, ''} wait (chunks of
-- live owners remain); {3, -1, ''} done: every chunk answered.
local total = tonumber(ARGV[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
while nxt < total and (redis.call('HEXISTS', KEYS[4], tostring(nxt)) == 1
    or redis.call('HEXISTS', KEYS[2], tostring(nxt)) == 1) do
  nxt = nxt + 1
end
if nxt < total then
  redis.call('SET', KEYS[1], tostring(nxt + 1))
  redis.call('HSET', KEYS[2], tostring(nxt), ARGV[1])
  return {1, nxt, ''}
end
redis.call('SET', KEYS[1], tostring(nxt))
local claims = redis.call('HGETALL', KEYS[2])
local live = 0
for i = 1, #claims, 2 do
  local chunk, owner = claims[i], claims[i + 1]
  local dead
  if owner == ARGV[1] then
    dead = not string.find(ARGV[4], ',' .. chunk .. ',', 1, true)
  else
    dead = redis.call('EXISTS', ARGV[3] .. owner) == 0
  end
  if dead then
    redis.call('HSET', KEYS[2], chunk, ARGV[1])
    local intent = redis.call('HGET', KEYS[3], chunk)
    return {2, tonumber(chunk), intent or ''}
  end
  live = 1
end
if live == 1 then
  return {0, -1, ''}
end
return {3, -1, ''}
