-- POST the request-info form: many concurrent prospects, each with an address of its own so
-- that dedupe never merges two of them. bench/run.py fetched the form once (CSRF cookie,
-- masked token, signed fields) and passes, after `--`:
--   1: the urlencoded body, with EMAIL_PLACEHOLDER and PHONE_PLACEHOLDER where they go
--   2: the Cookie header   3: the form's path   4: a run id (keeps addresses unique per run)
-- Each thread counts responses by status; done() prints BENCH_ACCEPTED (302/303: saved and
-- redirected to the thank-you page), BENCH_REJECTED, BENCH_SENT and BENCH_SERVERERRORS (5xx),
-- beside BENCH_RESULT.

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  body_template = args[1]
  cookie = args[2]
  path = args[3]
  run_id = args[4]
  sequence = 0
  accepted = 0
  rejected = 0
  server_errors = 0
  sent = 0
  statuses = {}
end

local function urlencode(value)
  return (value:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function request()
  sequence = sequence + 1
  sent = sent + 1
  local email = string.format("bench-%s-t%d-%d@example.com", run_id, thread_id, sequence)
  -- A distinct valid US number per request: 407, an exchange of 2xx-9xx, four digits.
  local n = thread_id * 1000000 + sequence
  local phone = string.format("407%03d%04d", 200 + (math.floor(n / 10000) % 800), n % 10000)
  local encoded = urlencode(email)
  -- Replacement functions, because "%" in a replacement string is special to gsub.
  local body = body_template:gsub("EMAIL_PLACEHOLDER", function() return encoded end)
  body = body:gsub("PHONE_PLACEHOLDER", function() return phone end)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    accepted = accepted + 1
  else
    rejected = rejected + 1
  end
  if status >= 500 then
    server_errors = server_errors + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local total_accepted, total_rejected, total_sent, total_server_errors = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_rejected = total_rejected + thread:get("rejected")
    total_sent = total_sent + thread:get("sent")
    total_server_errors = total_server_errors + thread:get("server_errors")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
  io.write(string.format("BENCH_ACCEPTED %d\nBENCH_REJECTED %d\nBENCH_SENT %d\n",
    total_accepted, total_rejected, total_sent))
  io.write(string.format("BENCH_SERVERERRORS %d\n", total_server_errors))
end
