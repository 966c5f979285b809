-- A small Test.More for initrc test scripts: TAP lines through print, which the fake shell records.
local count, failed = 0, 0

local function report (pass, desc)
    count = count + 1
    if not pass then failed = failed + 1 end
    print ((pass and "ok " or "not ok ") .. count .. " - " .. tostring (desc or ""))
    return pass
end

local function deep_equal (a, b)
    if type (a) ~= "table" or type (b) ~= "table" then return a == b end
    for k, v in pairs (a) do
        if not deep_equal (v, b[k]) then return false end
    end
    for k in pairs (b) do
        if a[k] == nil then return false end
    end
    return true
end

local function outcome (code)
    local fn, err = load (code, "=(test code)")
    if not fn then return false, err end
    return pcall (fn)
end

function ok (v, desc) return report (not not v, desc) end
function pass (desc) return report (true, desc) end
function fail (desc) return report (false, desc) end
function diag (msg) print ("# " .. tostring (msg)) end
function is (got, want, desc)
    if not report (got == want, desc) then diag ("got " .. tostring (got) .. ", want " .. tostring (want)) end
end
function isnt (got, want, desc) return report (got ~= want, desc) end
function like (got, pattern, desc) return report (type (got) == "string" and got:match (pattern) ~= nil, desc) end
function type_ok (v, t, desc)
    if not report (type (v) == t, desc) then diag ("type is " .. type (v) .. ", want " .. t) end
end
function cmp_ok (a, op, b, desc)
    local r = { ["<"] = a < b, ["<="] = a <= b, [">"] = a > b, [">="] = a >= b, ["=="] = a == b, ["~="] = a ~= b }
    return report (r[op], desc)
end
function is_deeply (a, b, desc) return report (deep_equal (a, b), desc) end
function lives_ok (code, desc)
    local lived, err = outcome (code)
    if not report (lived, desc) then diag (err) end
end
function error_like (code, pattern, desc)
    local lived, err = outcome (code)
    if not report (not lived and tostring (err):match (pattern) ~= nil, desc) then diag (tostring (err)) end
end
function done_testing ()
    print ("1.." .. count)
    if failed > 0 then print ("# failed " .. failed .. " of " .. count) end
end
