-- The checks of flux-core's t/shell/initrc/tests/0004-getopt.lua: shell.options read, assign, unset.
require 'fluxometer'

plugin.register { name = "done", handlers = {
    { topic = "shell.exit", fn = function () done_testing () end },
} }

is (shell.options.test, "test", "the jobspec's test option")
shell.options.mpi = "bar"
is (shell.options.mpi, "bar", "an option can be assigned")
ok (not shell.options.nosuchthing, "an unset option is nil")
shell.options.mpi = nil
ok (not shell.options.mpi, "assigning nil unsets it")
