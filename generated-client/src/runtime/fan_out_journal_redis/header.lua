-- Writes the job's header ARGV[1] unless one exists; answers the header that stands.
-- KEYS: header.
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
