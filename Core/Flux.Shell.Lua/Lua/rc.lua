-- The initrc API of flux-shell-initrc(5): the plugin, shell and task tables, source and
-- source_if_exists, over the host primitives in `raw` (each returns true and its results, or
-- false and a message). Error levels are counted so that a message names the script's line.
local raw = ...

local type, error, tostring, select = type, error, tostring, select
local rawget, rawset, setmetatable, ipairs = rawget, rawset, setmetatable, ipairs
local getinfo, tointeger, tonumber = debug.getinfo, math.tointeger, tonumber

-- Called as `local x = ok_or_raise (raw.f (...))` (never as a tail call) by a function the script
-- called, so level 3 is the script's line.
local function ok_or_raise (ok, ...)
    if ok then return ... end
    error ((...), 3)
end

local LEVEL = { fatal = 0, error = 1, notice = 2, debug = 3, trace = 4 }

local function is_pattern (s)
    return s:find ("[%*%?%[]") ~= nil
end


-- setenv overwrites only when a third argument is a non-zero number, as lua_tointeger reads it.
local function overwrite_flag (...)
    if select ("#", ...) < 3 then return true end
    local n = tointeger (tonumber ((select (3, ...))))
    return n ~= nil and n ~= 0
end

local files = {}

local function log_at (level, msg)
    local where = getinfo (3, "Sl")
    if where then
        ok_or_raise (raw.log (level, where.short_src, where.currentline, tostring (msg)))
    else
        ok_or_raise (raw.log (level, nil, -1, tostring (msg)))
    end
end

local function run_rcfile (path)
    ok_or_raise (raw.log (LEVEL.trace, nil, -1, "trying to load " .. path))
    local loaded, fn, err = raw.loadfile (path)
    if not loaded then fn, err = nil, fn end
    if not fn then
        raw.log (LEVEL.error, nil, -1, path .. ": " .. tostring (err))
        return false, path .. ": " .. tostring (err)
    end
    files[#files + 1] = path
    local ok, e = pcall (fn)
    files[#files] = nil
    if not ok then
        raw.log (LEVEL.error, nil, -1, tostring (e))
        return false, tostring (e)
    end
    return true
end

function source (pattern)
    if type (pattern) ~= "string" then error ("source: a file name or glob is required", 2) end
    local list = ok_or_raise (raw.glob (pattern))
    if #list == 0 and not is_pattern (pattern) then
        error ("source " .. pattern .. ": No such file or directory", 2)
    end
    for _, path in ipairs (list) do
        if not run_rcfile (path) then error ("source " .. path .. " failed", 2) end
    end
end

-- A literal path, as flux-core's stat(): no glob and no ~.
function source_if_exists (path)
    if type (path) ~= "string" then error ("source_if_exists: a file name is required", 2) end
    local found = ok_or_raise (raw.exists (path))
    if found and not run_rcfile (path) then error ("source " .. path .. " failed", 2) end
end

local function register (spec)
    if type (spec) ~= "table" then error ("plugin.create requires table argument", 2) end
    local name = rawget (spec, "name")
    if name == nil then name = files[#files] or "initrc" end
    local handlers = rawget (spec, "handlers")
    if type (handlers) ~= "table" then error ("required handlers table missing", 2) end
    local list = {}
    local i = 1
    while rawget (handlers, i) ~= nil do
        local h = rawget (handlers, i)
        local topic = type (h) == "table" and rawget (h, "topic") or nil
        if type (topic) ~= "string" and type (topic) ~= "number" then
            error ("Missing or invalid 'topic' in handler entry", 2)
        end
        local fn = rawget (h, "fn")
        if type (fn) ~= "function" then error ("Missing or invalid 'fn' in handler entry", 2) end
        list[i] = { topic = tostring (topic), fn = fn }
        i = i + 1
    end
    if i == 1 then
        error ("plugin.register: handlers table exists but has no entries. (not an array?)", 2)
    end
    ok_or_raise (raw.register (tostring (name), list))
end

local function load_plugin (spec)
    local pattern, conf
    if type (spec) == "string" or type (spec) == "number" then
        pattern = tostring (spec)
    elseif type (spec) == "table" then
        pattern = rawget (spec, "file")
        if type (pattern) ~= "string" then error ("plugin.load: invalid argument", 2) end
        conf = rawget (spec, "conf")
        if type (conf) ~= "table" then conf = nil end
    else
        error ("plugin.load: invalid argument", 2)
    end
    local n, lua_files = ok_or_raise (raw.pluginload (pattern, conf))
    if n == 0 and not is_pattern (pattern) then
        error ("plugin.load: " .. pattern .. ": File not found", 2)
    end
    for _, path in ipairs (lua_files) do
        if not run_rcfile (path) then error ("plugin.load: " .. path .. " failed", 2) end
    end
end

plugin = setmetatable ({}, {
    __metatable = false,
    __index = function (_, key)
        if key == "load" then return load_plugin end
        if key == "register" then return register end
        if key == "searchpath" then
            local path = ok_or_raise (raw.searchpath ())
            return path
        end
        return nil
    end,
    __newindex = function (_, key, value)
        if key == "searchpath" then
            ok_or_raise (raw.setsearchpath (value ~= nil and tostring (value) or ""))
            return
        end
        error ("invalid plugin method " .. tostring (key) .. " called", 2)
    end,
})

local options = setmetatable ({}, {
    __metatable = false,
    __index = function (_, key)
        local v = ok_or_raise (raw.getopt (tostring (key)))
        return v
    end,
    __newindex = function (_, key, value)
        ok_or_raise (raw.setopt (tostring (key), value))
    end,
})

local function getenv (...)
    if select ("#", ...) == 0 then
        local env = ok_or_raise (raw.getenv ())
        return env
    end
    local v = ok_or_raise (raw.getenv (tostring ((...))))
    return v
end

local function setenv (name, value, ...)
    local ok = ok_or_raise (raw.setenv (tostring (name), tostring (value), overwrite_flag (name, value, ...)))
    return ok
end

local function unsetenv (name)
    local ok = ok_or_raise (raw.unsetenv (tostring (name)))
    return ok
end

local function get_rankinfo (n)
    local ok, info = raw.rankinfo (tointeger (tonumber (n)) or -1)
    if not ok then return nil, info end
    return info
end

local methods = {
    getenv = getenv,
    setenv = setenv,
    unsetenv = unsetenv,
    get_rankinfo = get_rankinfo,
    log = function (msg) log_at (LEVEL.notice, msg) end,
    debug = function (msg) log_at (LEVEL.debug, msg) end,
    log_error = function (msg) log_at (LEVEL.error, msg) end,
    die = function (msg)
        local where = getinfo (2, "Sl")
        ok_or_raise (raw.die (where and where.short_src, where and where.currentline or -1, tostring (msg)))
        error (tostring (msg), 2)
    end,
}

-- flux-core lets a script overwrite every field but these.
local readonly = { info = true, getenv = true, setenv = true, unsetenv = true, rankinfo = true, get_rankinfo = true }

shell = setmetatable ({ options = options }, {
    __metatable = false,
    __index = function (_, key)
        if key == "info" then
            local info = ok_or_raise (raw.info ())
            return info
        end
        if key == "rankinfo" then
            local info = ok_or_raise (raw.rankinfo (-1))
            return info
        end
        if key == "verbose" then
            local level = ok_or_raise (raw.getverbose ())
            return level ~= 0
        end
        return methods[key]
    end,
    __newindex = function (t, key, value)
        if readonly[key] then error ("attempt to set read-only field shell." .. tostring (key), 2) end
        if key == "verbose" then
            local level
            if type (value) == "number" then level = tointeger (value) or math.floor (value)
            elseif type (value) == "boolean" then level = value and 1 or 0
            else error ("invalid assignment to shell.verbose", 2) end
            ok_or_raise (raw.setverbose (level))
            return
        end
        rawset (t, key, value)
    end,
})

local task_methods = {
    getenv = function (name)
        local v = ok_or_raise (raw.taskgetenv (tostring (name)))
        return v
    end,
    setenv = function (name, value, ...)
        local ok = ok_or_raise (raw.tasksetenv (tostring (name), tostring (value), overwrite_flag (name, value, ...)))
        return ok
    end,
    unsetenv = function (name)
        ok_or_raise (raw.taskunsetenv (tostring (name)))
    end,
}

task = setmetatable ({}, {
    __metatable = false,
    __index = function (_, key)
        local _, inside = raw.intask ()
        if not inside then error ("attempt to access task outside of task context", 2) end
        if key == "info" then
            local info = ok_or_raise (raw.taskinfo ())
            return info
        end
        return task_methods[key]
    end,
})

-- Only the pure Lua modules the engine holds (ShellRcOptions.Modules and flux.shell), from source text.
local modules = {}
function require (name)
    name = tostring (name)
    if modules[name] ~= nil then return modules[name] end
    local fn = ok_or_raise (raw.module (name))
    if not fn then
        error ("module '" .. name .. "' not found (the shell's Lua loads no C modules and no files)", 2)
    end
    local result = fn (name)
    if result == nil then result = true end
    modules[name] = result
    return result
end

-- The engine's entry: set shell.rcpath (the top-level rc file's folder, once), load the flux.shell
-- helpers (a failure is only logged, as in flux-core), then run the rc file. Returns true, or false
-- and the error.
return function (path, rcpath)
    rawset (shell, "rcpath", rcpath)
    local ok, err = pcall (require, "flux.shell")
    if not ok then
        raw.log (LEVEL.debug, nil, -1, "Error loading flux.shell module: " .. tostring (err))
    end
    return run_rcfile (path)
end
