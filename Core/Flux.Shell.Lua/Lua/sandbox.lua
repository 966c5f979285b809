-- The sandbox every initrc runs in: what a script may reach of Lua's libraries, and the time limit.
--
-- flux-core's initrc gets all of Lua's libraries because its shell runs as the user anyway. Ours runs
-- where the shell runs, so a script keeps only what cannot start a process, open a file, load
-- bytecode or reach the engine's internals: base functions, string (without dump), table, math,
-- utf8, coroutine, os.time/date/clock/difftime, debug.traceback and debug.getinfo.
local raw = ...

local real_pcall, real_xpcall, real_load = pcall, xpcall, load
local real_setmetatable, rawget, type, error, select = setmetatable, rawget, type, error, select
local tostring, concat = tostring, table.concat
local sethook, getinfo, traceback = debug.sethook, debug.getinfo, debug.traceback
local expired, aborted, print_line = raw.expired, raw.aborted, raw.print

io, package, dofile, loadfile, require, collectgarbage = nil, nil, nil, nil, nil, nil
os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }
-- Lua aborts the process if traceback is missing while it builds one; getinfo only reads.
debug = { traceback = traceback, getinfo = getinfo }
string.dump = nil

-- Source text only: a binary chunk can break the VM's invariants.
load = function (chunk, name, _, env)
    if env == nil then
        return real_load (chunk, name, "t")
    end
    return real_load (chunk, name, "t", env)
end

-- A finalizer would run whenever the collector chooses, even while the shell closes the state.
setmetatable = function (t, mt)
    if type (mt) == "table" and rawget (mt, "__gc") ~= nil then
        error ("setmetatable: __gc metamethods are not allowed in the shell's Lua", 2)
    end
    return real_setmetatable (t, mt)
end

-- Once the time limit passed or shell.die ran, no pcall may swallow the error that stops the script.
local function rethrow (ok, ...)
    if not ok then
        local _, stop = aborted ()
        if stop then error ((...), 0) end
    end
    return ok, ...
end
pcall = function (...) return rethrow (real_pcall (...)) end
-- Lua runs a message handler before unwinding, and with hooks off when the error came from the
-- hook: past the limit, the script's handler must not run at all, or a loop in it would never stop.
xpcall = function (f, handler, ...)
    local function guarded (e)
        local _, stop = aborted ()
        if stop then return e end
        return handler (e)
    end
    return rethrow (real_xpcall (f, guarded, ...))
end

print = function (...)
    local n = select ("#", ...)
    local parts = { ... }
    for i = 1, n do parts[i] = tostring (parts[i]) end
    print_line (concat (parts, "\t", 1, n))
end

-- Every 10000 instructions. debug.sethook keeps a Lua hook per thread, so each coroutine gets it too.
local function hook ()
    local _, late = expired ()
    if late then error (late, 2) end
end
sethook (hook, "", 10000)

local create, resume = coroutine.create, coroutine.resume
coroutine.create = function (f)
    local co = create (f)
    sethook (co, hook, "", 10000)
    return co
end
coroutine.wrap = function (f)
    local co = coroutine.create (f)
    local function pass (ok, ...)
        if not ok then error ((...), 0) end
        return ...
    end
    return function (...) return pass (resume (co, ...)) end
end
