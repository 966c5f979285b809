-- The flux.shell helpers every initrc and lua.d file can use (flux-shell-initrc(5)): option
-- versions, PATH-like variables, environment stripping and sourcing from the rc path.
if shell == nil then
    error ("flux.shell can only be loaded by the job shell")
end

-- "-o mpi=openmpi@5" gives "openmpi", "5"; an unset option gives nil.
function shell.getopt_with_version (name)
    if name == nil then return nil end
    local value = shell.options[name]
    if type (value) ~= "string" then return value end
    return value:match ("^[^@]+"), value:match ("@(.+)$")
end

-- Put `dir` first in the colon-separated variable, unless it is already one of its elements.
function shell.prepend_path (var, dir)
    local current = shell.getenv (var)
    if current == nil or current == "" then
        shell.setenv (var, dir)
        return
    end
    for element in current:gmatch ("[^:]+") do
        if element == dir then return end
    end
    shell.setenv (var, dir .. ":" .. current)
end

-- Remove every job environment variable whose name matches one of the Lua patterns.
function shell.env_strip (...)
    local patterns = { ... }
    for name in pairs (shell.getenv ()) do
        for _, pattern in ipairs (patterns) do
            if name:match (pattern) then
                shell.unsetenv (name)
                break
            end
        end
    end
end

-- The folders lua.d files come from: the rc file's own lua.d, then FLUX_SHELL_RC_PATH of the job.
local function rc_dirs ()
    local dirs = { shell.rcpath .. "/lua.d" }
    local extra = shell.getenv ("FLUX_SHELL_RC_PATH")
    if extra then
        for dir in extra:gmatch ("[^:]+") do dirs[#dirs + 1] = dir end
    end
    return dirs
end

-- source() the files matching `pattern` in every rc folder.
function shell.source_rcpath (pattern)
    for _, dir in ipairs (rc_dirs ()) do
        source (dir .. "/" .. pattern)
    end
end

-- For "-o NAME=VALUE[@VERSION]", source NAME/VALUE.lua and NAME/VALUE@VERSION.lua from every rc
-- folder when they exist; "none" sources nothing.
function shell.source_rcpath_option (name)
    local value, version = shell.getopt_with_version (name)
    if value == nil or value == "none" then return end
    for _, dir in ipairs (rc_dirs ()) do
        local base = dir .. "/" .. name .. "/" .. tostring (value)
        source_if_exists (base .. ".lua")
        if version then source_if_exists (base .. "@" .. version .. ".lua") end
    end
end
