-- wrk: POST /v1/accounts, a platform attesting a new account each request (a small logged write).
-- KEY (a platform key) and RUN (a word unique to the run) come from the environment.
local n = 0
local threads = 0
function setup(thread)
    thread:set("tid", threads)
    threads = threads + 1
end
function request()
    n = n + 1
    local body = string.format('{"person_id":"p%07d","platform":"tiktok","handle":"@w.%s.%d.%d"}', 10 + (n % 1900),
        os.getenv("RUN") or "r", tid, n)
    return wrk.format("POST", "/v1/accounts", {["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. os.getenv("KEY")}, body)
end
