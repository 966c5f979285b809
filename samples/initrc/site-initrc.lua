-- A site's system initrc (the conf.shell_initrc broker attribute, or -o initrc=FILE): what the default
-- one does, plus site policy. Copy it, keep the first four steps, edit the rest.

-- 1. C# shell plugins on plugin.searchpath (flux-core loads *.so there).
plugin.load { file = "*.dll", conf = {} }
-- 2. lua.d/*.lua beside this file, then FLUX_SHELL_RC_PATH's folders.
shell.source_rcpath ("*.lua")
-- 3. -o mpi=NAME[@VERSION]
shell.source_rcpath_option ("mpi")

-- Site policy: one OpenMP thread per core this shell holds, unless the user chose.
local cores = shell.rankinfo.resources.ncores
local ntasks = shell.rankinfo.ntasks
if ntasks > 0 and cores >= ntasks then
    shell.setenv ("OMP_NUM_THREADS", tostring (cores // ntasks), 0)
end

-- Site policy: never pass a scheduler's variables from the submitting shell into jobs.
shell.env_strip ("^SLURM_", "^PBS_")

-- Site policy: at -o verbose, say where the job runs.
shell.debug ("job " .. shell.info.jobid .. " on " .. shell.rankinfo.name)

-- 4. The user's initrc, last, so that it can override the site.
if shell.options.userrc then
    source (shell.options.userrc)
end
