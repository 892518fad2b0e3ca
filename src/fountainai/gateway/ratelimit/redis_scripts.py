"""The two counting rules as Redis Lua scripts: one script call per request reads, decides and
writes a key's state atomically (no check-then-increment race across gateway processes). The
arithmetic is ``algorithms.py``'s, step for step; the contract tests run both and compare.

``SLIDING_WINDOW`` / ``TOKEN_BUCKET``: KEYS[1] the key's hash; ARGV limit, window (seconds), now
(seconds; empty: the Redis server's clock, so every gateway agrees). Returns {allowed 0/1,
remaining, reset, retry_after}.

``CHECK_ALL``: several quotas of one request in one call (one round trip). KEYS[i] is quota i's
hash; ARGV[1] now, then (algorithm, limit, window) per quota. Quotas are checked in order and
the first refusal stops: later quotas are not counted. Returns the 4 numbers of each quota
checked, flattened.
"""

from __future__ import annotations

_PRELUDE = """
local eps = 1e-9
local function clock(given)
  local now = tonumber(given)
  if not now then
    local t = redis.call('TIME')
    now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  end
  return now
end
"""

_SLIDING = """
local function sliding(key, limit, window, now)
  local state = redis.call('HMGET', key, 'index', 'current', 'previous')
  local sindex = tonumber(state[1]) or 0
  local current = tonumber(state[2]) or 0
  local previous = tonumber(state[3]) or 0
  local index = math.max(math.floor(now / window), sindex)
  if index ~= sindex then
    if index == sindex + 1 then previous = current else previous = 0 end
    current = 0
  end
  local elapsed = math.min(math.max(0, now - index * window), window)
  local estimate = previous * (1 - elapsed / window) + current
  local allowed = 0
  if estimate + 1 <= limit + eps then
    allowed = 1
    current = current + 1
    estimate = estimate + 1
  end
  redis.call('HSET', key, 'index', string.format('%d', index),
    'current', current, 'previous', previous)
  redis.call('EXPIRE', key, window * 2)
  local remaining = math.max(0, math.floor(limit - estimate + eps))
  local reset = math.max(1, math.ceil(window - elapsed))
  local retry = 0
  if allowed == 0 then
    local room = limit - 1
    if current <= room and previous > 0 then
      retry = math.max(1, math.ceil(window * (1 - (room - current) / previous) - elapsed))
    else
      local after = 0
      if current > room then after = window * (1 - room / current) end
      retry = math.max(1, math.ceil(window - elapsed + after))
    end
  end
  return {allowed, remaining, reset, retry}
end
"""

_BUCKET = """
local function bucket(key, limit, window, now)
  local rate = limit / window
  local state = redis.call('HMGET', key, 'tokens', 'updated')
  local tokens = tonumber(state[1])
  local updated = tonumber(state[2])
  if not tokens or not updated then
    tokens = limit
    updated = now
  end
  tokens = math.min(limit, tokens + math.max(0, now - updated) * rate)
  local allowed = 0
  if tokens >= 1 - eps then
    allowed = 1
    tokens = math.max(0, tokens - 1)
  end
  updated = math.max(now, updated)
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens),
    'updated', string.format('%.17g', updated))
  -- A bucket left alone is full again after one window: the same as no state at all.
  redis.call('EXPIRE', key, window + 1)
  local remaining = math.floor(tokens + eps)
  local reset = math.max(0, math.ceil((limit - tokens) / rate - eps))
  local retry = 0
  if allowed == 0 then retry = math.max(1, math.ceil((1 - tokens) / rate)) end
  return {allowed, remaining, reset, retry}
end
"""

_FUNCTIONS = _PRELUDE + _SLIDING + _BUCKET

SLIDING_WINDOW = (
    _FUNCTIONS
    + """
return sliding(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), clock(ARGV[3]))
"""
)

TOKEN_BUCKET = (
    _FUNCTIONS
    + """
return bucket(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), clock(ARGV[3]))
"""
)

CHECK_ALL = (
    _FUNCTIONS
    + """
local now = clock(ARGV[1])
local answers = {}
for i = 1, #KEYS do
  local base = 2 + (i - 1) * 3
  local rule = sliding
  if ARGV[base] == 'token-bucket' then rule = bucket end
  local decision = rule(KEYS[i], tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), now)
  for _, value in ipairs(decision) do answers[#answers + 1] = value end
  if decision[1] == 0 then break end
end
return answers
"""
)
