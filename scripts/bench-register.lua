-- wrk script: POST /api/register with a new e-mail every request.
-- Each wrk thread numbers its own requests; the thread id keeps them apart.
local counter = 0
thread_id = 0 -- set per thread by setup(); must stay global
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end

function request()
  counter = counter + 1
  local body = string.format("event_id=%s&name=Bench&email=w%d.%d@example.org", os.getenv("EVENT_ID"), thread_id, counter)
  return wrk.format("POST", "/api/register", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
