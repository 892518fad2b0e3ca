"""The two counting rules as Redis Lua scripts: one script call per request reads, decides and
writes a key's state atomically (no check-then-increment race across gateway processes). The
arithmetic is ``algorithms.py``'s, step for step; the contract tests run both and compare.

KEYS[1]: the key's hash. ARGV: limit, window (seconds), now (seconds; empty: the Redis server's
clock, so every gateway agrees). Returns {allowed 0/1, remaining, reset, retry_after}.
"""

from __future__ import annotations

_CLOCK = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local eps = 1e-9
"""

SLIDING_WINDOW = (
    _CLOCK
    + """
local state = redis.call('HMGET', KEYS[1], 'index', 'current', 'previous')
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
redis.call('HSET', KEYS[1], 'index', string.format('%d', index),
  'current', current, 'previous', previous)
redis.call('EXPIRE', KEYS[1], window * 2)
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
"""
)

TOKEN_BUCKET = (
    _CLOCK
    + """
local rate = limit / window
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
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
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
  'updated', string.format('%.17g', updated))
-- A bucket left alone is full again after one window: the same as no state at all.
redis.call('EXPIRE', KEYS[1], window + 1)
local remaining = math.floor(tokens + eps)
local reset = math.max(0, math.ceil((limit - tokens) / rate - eps))
local retry = 0
if allowed == 0 then retry = math.max(1, math.ceil((1 - tokens) / rate)) end
return {allowed, remaining, reset, retry}
"""
)
