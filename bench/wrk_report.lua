-- Shared by every wrk run: print a machine-readable summary line at the end.
done = function(summary, latency, requests)
  local errors = summary.errors
  local non_2xx = errors.status
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, non_2xx))
end
