-- The checks of flux-core's t/shell/initrc/tests/0000-basic.lua: source, source_if_exists, rcpath, searchpath.
require 'fluxometer'

local this_file = debug.getinfo (1, "S").source:sub (2)
local this_dir = this_file:gsub ("/[^/]*$", "")

plugin.register { name = "done", handlers = {
    { topic = "shell.exit", fn = function () done_testing () end },
} }

error_like ('source "foo"', "source foo: No such file or directory", "a missing plain file cannot be sourced")
lives_ok ('source "/nosuchdir/*.lua"', "a glob that matches nothing is fine")
lives_ok ('source_if_exists "foo"', "source_if_exists ignores a missing file")
type_ok (shell.rcpath, "string", "shell.rcpath is a string")
is (shell.rcpath, this_dir, "shell.rcpath is this file's folder")
type_ok (plugin.searchpath, "string", "plugin.searchpath is a string")

local before = plugin.searchpath
lives_ok ('plugin.searchpath = plugin.searchpath .. ":/tmp/foo"', "plugin.searchpath is assignable")
plugin.searchpath = before
is (plugin.searchpath, before, "plugin.searchpath is restored")
