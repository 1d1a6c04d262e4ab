-- wrk script for scripts/load-test.sh: each thread has one connection, so responses come
-- back in the order of its requests and each can be checked against the status its path
-- expects. Arguments (after `--`): the paths file ("STATUS PATH" per line), the number of
-- responses after which each thread stops, and a file to which each thread appends a line
-- when it is done (the script interrupts wrk once all are: wrk itself waits out -d).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } digest_timespec;
  int clock_gettime(int clock, digest_timespec *t);
]]

local function now()
  local t = ffi.new("digest_timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  table.insert(threads, thread)
  count = count + 1
end

function init(args)
  paths, expected = {}, {}
  for line in io.lines(args[1]) do
    local status, path = line:match("^(%d+) (.+)$")
    if path then
      table.insert(paths, path)
      table.insert(expected, tonumber(status))
    end
  end
  limit = tonumber(args[2])
  done_file = args[3]
  -- Threads start at different places of the list, so the mix is spread over time.
  next_index = (id * 7) % #paths
  pending, head, tail = {}, 1, 0
  sent, received, mismatches, mismatch_log = 0, 0, 0, ""
  started, finished = 0, 0
end

function request()
  -- wrk calls request() once on the first thread to check the script, and sends nothing.
  if id == 0 and not checked_by_wrk then
    checked_by_wrk = true
    return wrk.format("GET", "/")
  end
  if started == 0 then
    started = now()
  end
  next_index = next_index % #paths + 1
  tail = tail + 1
  pending[tail] = next_index
  sent = sent + 1
  return wrk.format("GET", paths[next_index])
end

function response(status, headers, body)
  local index = pending[head]
  pending[head] = nil
  head = head + 1
  received = received + 1
  if index == nil or status ~= expected[index] then
    mismatches = mismatches + 1
    if mismatches <= 3 then
      mismatch_log = mismatch_log .. string.format("  thread %d, response %d: %d for %s\n",
        id, received, status, tostring(index and paths[index]))
    end
  end
  if received >= limit then
    finished = now()
    local f = io.open(done_file, "a")
    f:write(id, "\n")
    f:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total, sent_total, bad, first, last = 0, 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("received")
    sent_total = sent_total + thread:get("sent")
    bad = bad + thread:get("mismatches")
    io.write(thread:get("mismatch_log"))
    first = math.min(first, thread:get("started"))
    last = math.max(last, thread:get("finished"))
  end
  local elapsed = last - first
  io.write(string.format("CHECKED responses=%d sent=%d unexpected=%d seconds=%.3f rps=%.0f p50_us=%d p99_us=%d max_us=%d\n",
    total, sent_total, bad, elapsed, total / elapsed, latency:percentile(50),
    latency:percentile(99), latency.max))
end
