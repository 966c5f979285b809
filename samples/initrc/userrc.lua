-- A user's initrc (flux run -o userrc=samples/initrc/userrc.lua ...): job environment, per-task
-- environment, and a report of each task's exit, the way flux-core's shell runs the same file.

-- Every task starts from the job environment: set it once here.
shell.setenv ("OMP_PROC_BIND", "true")
shell.prepend_path ("PATH", shell.rcpath .. "/bin")

plugin.register {
    name = "userrc-sample",
    handlers = {
        {
            -- task.init runs before the task starts: what it sets reaches that task only.
            topic = "task.init",
            fn = function ()
                local rank = task.info.rank
                task.setenv ("SAMPLE_TASK_LABEL", "task-" .. rank .. "-of-" .. shell.info.ntasks)
            end,
        },
        {
            topic = "task.exit",
            fn = function ()
                local info = task.info
                if info.exitcode ~= 0 then
                    shell.log_error ("task " .. info.rank .. " failed with exit code " .. info.exitcode)
                else
                    shell.log ("task " .. info.rank .. " done")
                end
            end,
        },
    },
}
