-- wrk script: each wrk thread (run with one connection per thread) POSTs the GraphQL bodies of
-- its own file in order, one JSON body per line, and stops at the end of it. The files are
-- <prefix><n>.jsonl for threads 1..N (the prefix is wrk's first argument after --), so a
-- sequence that must arrive in order (one order's stage steps) does. An answer that is not a
-- 200 whose body contains the expected typename (the second argument) counts as a failure.
local bodies = {}
local turn = 0
local expected
failures = 0

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  threads[#threads + 1] = thread
end

function init(args)
  expected = '"__typename":"' .. args[2] .. '"'
  for line in io.lines(args[1] .. number .. ".jsonl") do
    bodies[#bodies + 1] = line
  end
end

function request()
  turn = turn + 1
  if turn > #bodies then
    -- Out of steps (the run outlasted them): stop, and ask for something that changes nothing.
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", "/graphql", nil, bodies[turn])
end

function response(status, headers, body)
  if turn > #bodies then
    return
  end
  if status ~= 200 or not string.find(body, expected, 1, true) then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f failed=%d socket_errors=%d p50=%.3f p95=%.3f p99=%.3f max=%.3f\n",
    summary.requests, summary.duration / 1e6, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
