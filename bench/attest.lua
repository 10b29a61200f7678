-- wrk: POST /v1/accounts, a platform attesting a new account each request (a small logged write).
-- KEY (a platform key), RUN (a word unique to the run) and PERSONS (how many persons b0000000 ...
-- the database holds, as bench/gen_persons.py makes them) come from the environment.
local n = 0
local persons = tonumber(os.getenv("PERSONS") or "100000")
local threads = 0
function setup(thread)
    thread:set("tid", threads)
    threads = threads + 1
end
function request()
    n = n + 1
    local body = string.format('{"person_id":"b%07d","platform":"tiktok","handle":"@w.%s.%d.%d"}',
        (n * 7919 + tid * 104729) % persons, os.getenv("RUN") or "r", tid, n)
    return wrk.format("POST", "/v1/accounts", {["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. os.getenv("KEY")}, body)
end
