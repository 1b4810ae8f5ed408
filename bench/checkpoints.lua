-- wrk script for bench/checkpoints.py: POST an entry with a unique client_id per request and
-- its recorded_at, as the guard page sends them.
-- Environment: BENCH_TOKEN (Authorization), BENCH_PATH.
local threads = {}
local counter = 0
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
  prefix = string.format("w%d-%d-%d", tid, os.time(), math.random(1, 1000000000))
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"张伟","id_number":"41010519900307123X","phone":"13812345678","health_code":"green",' ..
    '"temperature":36.5,"direction":"in","origin":"东湖区","client_id":"%s-%d","recorded_at":"%s"}',
    prefix, counter, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. token,
  }, body)
end
