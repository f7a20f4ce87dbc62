-- Records the intent ARGV[3] of chunk ARGV[2] if owner ARGV[1] still holds its claim: a claim
-- taken over (the owner seemed dead) is never sent by the old owner. KEYS: claims, intents.
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
