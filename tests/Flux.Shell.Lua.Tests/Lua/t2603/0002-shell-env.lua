-- The checks of flux-core's t/shell/initrc/tests/0002-shell-env.lua: job and task environments.
require 'fluxometer'

ok (shell.setenv ("FOO", "bar"), "shell.setenv FOO")
ok (shell.getenv ("FOO") == "bar", "shell.getenv sees FOO")
ok (shell.unsetenv ("FOO"), "shell.unsetenv FOO")
ok (shell.getenv ("FOO") == nil, "FOO is gone")
ok (shell.setenv ("TEST", "xxxyyyzzz"), "shell.setenv TEST")

local env = shell.getenv ()
type_ok (env, "table", "shell.getenv () is a table")
is (env.TEST, "xxxyyyzzz", "with TEST in it")

plugin.register { name = "test", handlers = {
    { topic = "task.init", fn = function ()
        ok (task.getenv ("TEST") == "xxxyyyzzz", "the task starts from the job environment")
        ok (task.setenv ("FOO", "bar"), "task.setenv")
        is (task.getenv ("FOO"), "bar", "task.getenv sees it")
        task.unsetenv ("TEST")
        ok (not task.getenv ("TEST"), "task.unsetenv removes it")
    end },
    { topic = "task.exec", fn = function ()
        is (task.getenv ("FOO"), "bar", "the task's environment holds at exec")
    end },
    { topic = "shell.exit", fn = function () done_testing () end },
} }
