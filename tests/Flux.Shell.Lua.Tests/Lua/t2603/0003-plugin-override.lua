-- The checks of flux-core's t/shell/initrc/tests/0003-plugin-override.lua: a name registered twice replaces.
require 'fluxometer'

plugin.register { name = "done", handlers = {
    { topic = "shell.exit", fn = function () done_testing () end },
} }
pass ("registered the done plugin")

plugin.register { name = "test", handlers = {
    { topic = "*", fn = function () fail ("the replaced plugin ran") end },
} }
pass ("registered the plugin to replace")

plugin.register { name = "test", handlers = {
    { topic = "shell.*", fn = function (topic) like (topic, "^shell", "shell handler for " .. topic) end },
    { topic = "task.*", fn = function (topic) like (topic, "^task", "task handler for " .. topic) end },
} }
pass ("registered its replacement")
