-- GET several public pages in turn from every connection (their paths after `--`), and
-- count server errors (5xx) apart from other answers, beside the usual summary line:
-- BENCH_SERVERERRORS (5xx), BENCH_OTHER (not 2xx/3xx/5xx).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  index = 0
  server_errors = 0
  other = 0
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local total_server_errors, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_server_errors = total_server_errors + thread:get("server_errors")
    total_other = total_other + thread:get("other")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
  io.write(string.format("BENCH_SERVERERRORS %d\nBENCH_OTHER %d\n",
    total_server_errors, total_other))
end
