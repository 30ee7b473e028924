-- wrk script: POSTs the example requests in turn, each with a fresh member id so that member
-- history (H1/H2) stays realistic instead of piling every request onto six members.
local bodies = {}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id or 0
  local dir = os.getenv("EXAMPLES") or "examples"
  local list = io.popen('ls "' .. dir .. '"/*.json')
  for file in list:lines() do
    local f = assert(io.open(file, "r"))
    table.insert(bodies, f:read("*a"))
    f:close()
  end
  list:close()
  wrk.method = "POST"
  wrk.path = os.getenv("TARGET_PATH") or "/v1/authorizations"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("MGAUTH_KEY")
end

function request()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  body = body:gsub('"id": "M%-%d+"', '"id": "L-' .. thread_id .. '-' .. counter .. '"', 1)
  return wrk.format(nil, nil, nil, body)
end

local failures = 0
function response(status, headers, body)
  if status ~= 201 and status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end
