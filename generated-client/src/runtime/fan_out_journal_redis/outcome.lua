-- Records chunk ARGV[1]'s outcomes ARGV[2] unless some process recorded them first (a taker and
-- the owner it thought dead may both finish it: the first answer stands), and clears the chunk's
-- intent and claim. KEYS: claims, intents, outcomes. Answers 1 if recorded, 0 if one stood.
local recorded = redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return recorded
