-- The checks of flux-core's t/shell/initrc/tests/0001-shell-info.lua: verbose, info, rankinfo, task.info.
require 'fluxometer'

local saved = shell.verbose
shell.verbose = false
ok (not shell.verbose, "shell.verbose = false reads back false")
shell.verbose = true
ok (shell.verbose, "shell.verbose = true reads back true")
shell.verbose = 1
ok (shell.verbose, "shell.verbose = 1 reads back true")
shell.verbose = 0
ok (not shell.verbose, "shell.verbose = 0 reads back false")
shell.verbose = saved

shell.mydata = { foo = "bar" }
type_ok (shell.mydata, "table", "a script can add to the shell table")

local info = shell.info
type_ok (info, "table", "shell.info is a table")
type_ok (info.jobid, "number", "jobid is a number")
type_ok (info.rank, "number", "rank is a number")
type_ok (info.jobspec, "table", "jobspec is a table")
type_ok (info.R, "table", "R is a table")
is (info.rank, 0, "rank is 0")
ok (info.options.standalone, "options.standalone is set")
type_ok (shell.info.constrained_resources, "boolean", "constrained_resources is a boolean")

local rankinfo = shell.rankinfo
type_ok (rankinfo, "table", "shell.rankinfo is a table")
is (rankinfo.broker_rank, 0, "broker_rank is 0")
type_ok (rankinfo.ntasks, "number", "ntasks is a number")
cmp_ok (rankinfo.ntasks, ">", 0, "ntasks is positive")
type_ok (rankinfo.resources, "table", "resources is a table")
is (rankinfo.resources.cores, "0,1", "cores are 0,1")
type_ok (rankinfo.taskids, "string", "taskids is a string")
error_like ("local i = task.info", "access task", "task is out of reach here")
is_deeply (rankinfo, shell.get_rankinfo (0), "get_rankinfo (0) is rankinfo")

plugin.register { name = "done", handlers = {
    { topic = "shell.exit", fn = function () done_testing () end },
} }

plugin.register { name = "test", handlers = {
    { topic = "task.*", fn = function (topic)
        local t = task.info
        type_ok (t, "table", topic .. ": task.info is a table")
        is (t.localid, 0, topic .. ": localid")
        is (t.rank, 0, topic .. ": rank")
        type_ok (t.state, "string", topic .. ": state is a string")
        if t.state == "Running" then
            type_ok (t.pid, "number", topic .. ": a running task has a pid")
        elseif t.state == "Exited" then
            is (t.wait_status, 0, topic .. ": wait_status")
            is (t.signaled, 0, topic .. ": not signaled")
            is (t.exitcode, 0, topic .. ": exitcode")
        end
    end },
} }
