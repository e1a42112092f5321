-- wrk script for scripts/bench. HS_BENCH_MODE chooses the request:
--   bare    GET /patients/{id} on the bare reference server
--   view    GET /api/patients/{id} as the signed-in doctor
--   search  GET /api/patients?q={last name} as the signed-in doctor
--   login   POST /api/auth/login with the doctor's e-mail and password
-- Ids and names come from the files the preparation wrote, so every
-- request names a patient on the doctor's care team. The summary goes to
-- HS_BENCH_OUT as one JSON object (latencies in microseconds).

local mode = os.getenv("HS_BENCH_MODE")
local token = os.getenv("HS_BENCH_TOKEN") or ""
local counter = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local function escape(text)
  return (text:gsub("[^%w%-_%.]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local ids, names
local serial = 0

function setup(thread)
  serial = serial + 1
  thread:set("seed", serial)
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
  if mode == "login" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = string.format('{"email":"%s","password":"%s"}',
      os.getenv("HS_BENCH_EMAIL"), os.getenv("HS_BENCH_PASSWORD"))
  else
    ids = lines(os.getenv("HS_BENCH_IDS"))
    names = lines(os.getenv("HS_BENCH_NAMES"))
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  counter = counter + 1
  if mode == "login" then
    return wrk.format("POST", "/api/auth/login")
  elseif mode == "bare" then
    return wrk.format("GET", "/patients/" .. ids[math.random(#ids)])
  elseif mode == "search" then
    return wrk.format("GET", "/api/patients?page_size=25&q=" .. escape(names[math.random(#names)]))
  else
    return wrk.format("GET", "/api/patients/" .. ids[math.random(#ids)])
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local out = io.open(os.getenv("HS_BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.0f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
  out:close()
end
