// The Lua scripts that make the fleet's admission decisions inside Redis, atomically. Time is
// Redis's own (TIME), so instances with skewed clocks still share one window. Every script
// touches only keys of one hash tag, so it runs on one slot of a Redis Cluster.
//
// A sliding window is a sorted set of `<amount>:<id>` members scored by the time they were
// recorded; a lease set is a sorted set of ids scored by the time they expire.

/** Admits when every check fits, then records all of them. KEYS: one per check. */
export const TAKE_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local windowMs = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])
local id = ARGV[3]
local refused = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local base = 3 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  if kind == 'w' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowMs)
    local need = math.min(tonumber(ARGV[base + 3]), limit)
    local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    local used = 0
    for j = 1, #entries, 2 do
      used = used + tonumber(string.match(entries[j], '^([^:]+)'))
    end
    if used + need > limit then
      local left = used
      local until_ms = windowMs
      for j = 1, #entries, 2 do
        left = left - tonumber(string.match(entries[j], '^([^:]+)'))
        if left + need <= limit then
          until_ms = tonumber(entries[j + 1]) + windowMs - now
          break
        end
      end
      if until_ms > wait then wait = until_ms end
      refused[#refused + 1] = i
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    if redis.call('ZCARD', key) >= limit then refused[#refused + 1] = i end
  end
end
if #refused > 0 then return {0, wait, refused} end
for i, key in ipairs(KEYS) do
  local base = 3 + (i - 1) * 4
  if ARGV[base + 1] == 'w' then
    local add = tonumber(ARGV[base + 4])
    if add > 0 then
      redis.call('ZADD', key, now, ARGV[base + 4] .. ':' .. id)
      redis.call('PEXPIRE', key, windowMs)
    end
  else
    redis.call('ZADD', key, now + leaseMs, id)
    redis.call('PEXPIRE', key, leaseMs * 2)
  end
end
return {1, 0, {}}
`;

/** Replaces the amount recorded under an id (ARGV: id, amount) while it is in the window. */
export const ADJUST_SCRIPT = `
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local suffix = ':' .. ARGV[1]
for j = 1, #entries, 2 do
  local member = entries[j]
  if string.sub(member, -#suffix) == suffix then
    redis.call('ZREM', KEYS[1], member)
    if tonumber(ARGV[2]) > 0 then
      redis.call('ZADD', KEYS[1], entries[j + 1], ARGV[2] .. suffix)
    end
    return 1
  end
end
return 0
`;

/** Records an amount now (ARGV: amount, id, windowMs). */
export const ADD_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1] .. ':' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

/** Extends a lease that still exists (ARGV: id, leaseMs). */
export const RENEW_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
`;

/**
 * Budget admission. KEYS: the month's spend hash (spent, last), its reservations (a sorted set
 * of `<amount>:<id>` scored by expiry). ARGV: budget, known spend, id, hold ms, key ttl ms.
 */
export const RESERVE_BUDGET_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local budget = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local spent = math.max(tonumber(redis.call('HGET', KEYS[1], 'spent') or '0'), tonumber(ARGV[2]))
local reserved = 0
local held = redis.call('ZRANGE', KEYS[2], 0, -1)
for j = 1, #held do reserved = reserved + tonumber(string.match(held[j], '^([^:]+)')) end
if spent + reserved >= budget then return 0 end
local last = redis.call('HGET', KEYS[1], 'last')
local amount = budget - spent
if last then amount = tonumber(last) end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), string.format('%.17g', amount) .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return 1
`;

/** Charges a cost and drops its reservation. KEYS as above; ARGV: id, cost, key ttl ms. */
export const SETTLE_BUDGET_SCRIPT = `
local suffix = ':' .. ARGV[1]
local held = redis.call('ZRANGE', KEYS[2], 0, -1)
for j = 1, #held do
  if string.sub(held[j], -#suffix) == suffix then
    redis.call('ZREM', KEYS[2], held[j])
    break
  end
end
local cost = tonumber(ARGV[2])
if cost > 0 then
  redis.call('HINCRBYFLOAT', KEYS[1], 'spent', ARGV[2])
  redis.call('HSET', KEYS[1], 'last', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

/** A counter whose ttl starts at creation (ARGV: by, ttl ms). */
export const INCREMENT_SCRIPT = `
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return value
`;
