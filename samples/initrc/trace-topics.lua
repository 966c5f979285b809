-- Shows every shell topic as the shell reaches it (flux run -o verbose -o userrc=.../trace-topics.lua):
-- a plugin with one handler for all topics, logging at debug level, which -o verbose puts on stderr.
local started = os.clock ()

plugin.register {
    name = "trace-topics",
    handlers = {
        {
            topic = "*",
            fn = function (topic)
                shell.debug (string.format ("%-16s %.1f ms", topic, (os.clock () - started) * 1000))
            end,
        },
    },
}
