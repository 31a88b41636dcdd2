-- wrk script: POST one GraphQL body per request, taken in turn from a file of one JSON body per
-- line (the path is wrk's first argument after --). Any answer other than a 200 without "errors"
-- counts as a failure, so a run that measured error pages says so.
local bodies = {}
local turn = 0
failures = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  turn = math.random(#bodies)
end

function request()
  turn = turn % #bodies + 1
  return wrk.format("POST", "/graphql", nil, bodies[turn])
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failures = failures + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
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
