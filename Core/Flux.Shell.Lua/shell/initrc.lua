-- The default system initrc of the Flux.NET job shell (flux-shell-initrc(5)); -o initrc=FILE replaces it.

-- The C# shell plugins of the shell plugin path (flux-core's initrc loads *.so there) are already
-- loaded: the shell loads them by name before this file runs, unless -o initrc=FILE replaces it.

-- lua.d/*.lua beside this file, then the folders of FLUX_SHELL_RC_PATH in the job's environment.
shell.source_rcpath ("*.lua")

-- -o mpi=NAME[@VERSION]: lua.d/mpi/NAME.lua, then lua.d/mpi/NAME@VERSION.lua.
shell.source_rcpath_option ("mpi")

-- -o userrc=FILE: the user's own rc file, last.
if shell.options.userrc then
    source (shell.options.userrc)
end
