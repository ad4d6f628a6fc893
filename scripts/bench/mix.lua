-- wrk script for scripts/bench-pages' mixes: cycles through the requests of the file named by
-- MIX_REQUESTS, one per line: METHOD PATH [urlencoded form body]. Every request carries the session
-- cookie (MIX_COOKIE) and, for the forms, the session's CSRF token (MIX_CSRF) as x-csrf-token.
-- At the end it prints one line: p50 p95 p99 (ms), requests/s, errors.

local lines = {}
for line in io.lines(os.getenv("MIX_REQUESTS")) do
  local method, path, body = line:match("^(%S+)%s+(%S+)%s*(.*)$")
  if method then
    lines[#lines + 1] = { method = method, path = path, body = body ~= "" and body or nil }
  end
end

local cookie = os.getenv("MIX_COOKIE")
local csrf = os.getenv("MIX_CSRF")
local counter = 0

function setup(thread)
  thread:set("offset", math.random(1, #lines))
end

function request()
  counter = counter + 1
  local entry = lines[(offset + counter) % #lines + 1]
  local headers = { ["Cookie"] = cookie }
  local body = nil
  if entry.body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["x-csrf-token"] = csrf
    -- Each write is a new one: a counter makes titles and notes differ.
    body = entry.body:gsub("%%N", tostring(offset * 1000000 + counter))
  end
  return wrk.format(entry.method, entry.path, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("MIX %.2f %.2f %.2f %.0f %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), errors))
end
