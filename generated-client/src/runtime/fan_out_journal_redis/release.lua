-- Voids chunk ARGV[2]'s intent (nothing of it reached the server) if owner ARGV[1] holds its
-- claim; the claim stays. KEYS: claims, intents.
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
