// initrc.lua in real jobs, as a user runs flux-core's t2603 cases: -o initrc/userrc/verbose, the errors
// with file and line, Lua plugins' effects, the sandbox, in both shell-host modes (broker and process).
namespace Flux.EndToEnd.Tests;

public sealed class ShellInitrcEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-initrc-");

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The rc files of the cases below, each run by one `flux run` whose output goes to NAME.log.</summary>
    private static readonly Dictionary<string, string> RcFiles = new(StringComparer.Ordinal)
    {
        ["failed.lua"] = "=\n",
        ["runtime.lua"] = "local a = 1\nlocal b = 2\nlocal c = a + nil\n",
        ["bad-assign.lua"] = "shell.getenv = \"my data\"\n",
        ["bad-register.lua"] = "plugin.register {}\n",
        ["handlers-not-array.lua"] = "plugin.register {\n  handlers = { topic = \"*\", fn = function (topic) shell.log (topic) end }\n}\n",
        ["failed-return.lua"] = "plugin.register {\n  name = \"failed-return\",\n  handlers = { { topic = \"*\", fn = function () return false end } }\n}\n",
        ["invalid-access.lua"] = "print (task.info)\n",
        ["log.lua"] = "shell.log (\"test: shell.log\")\nshell.debug (\"test: debug\")\n\nshell.log_error (\"test: error\")\n",
        ["die.lua"] = "-- shell.die test\nshell.die (\"test: shell.die\")\n",
        ["nomatch.lua"] = "plugin.load { file = \"nofile*.so\" }\n",
        ["nofile.lua"] = "plugin.load { file = \"nofile.so\" }\n",
        ["cplugin.lua"] = "plugin.load { file = \"./fluxcore.so\" }\n",
        ["user.lua"] =
            "shell.setenv (\"FROM_USERRC\", \"yes\")\n" +
            "plugin.register {\n  name = \"user\",\n  handlers = {\n" +
            "    { topic = \"task.init\", fn = function () task.setenv (\"MY_RANK\", \"r\" .. task.info.rank) end },\n" +
            "    { topic = \"task.exit\", fn = function () shell.log (\"task \" .. task.info.rank .. \" exited \" .. task.info.exitcode) end },\n" +
            "  },\n}\n",
        ["sandbox.lua"] =
            "local escapes = {\n" +
            "  io = function () return io.open (\"escaped.txt\", \"w\") end,\n" +
            "  os_execute = function () return os.execute (\"touch escaped.txt\") end,\n" +
            "  os_remove = function () return os.remove (\"sandbox.lua\") end,\n" +
            "  require_posix = function () return require (\"posix\") end,\n" +
            "  require_io = function () return require (\"io\") end,\n" +
            "  loadlib = function () return package.loadlib (\"libc.so.6\", \"system\") end,\n" +
            "  dofile = function () return dofile (\"sandbox.lua\") end,\n" +
            "  loadfile = function () return loadfile (\"sandbox.lua\") end,\n" +
            "  binary = function () return load (string.dump (function () end)) end,\n" +
            "  luanet = function () return luanet.import_type (\"System.IO.File\") end,\n" +
            "}\n" +
            "for name, f in pairs (escapes) do\n" +
            "  local ok, result = pcall (f)\n" +
            "  if ok and result then shell.log (\"ESCAPED \" .. name) end\n" +
            "end\n" +
            "shell.log (\"sandbox checked\")\n",
    };

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Run_T2603Cases_FailAndLogAsFluxCore(string mode)
    {
        var script = Prepare(mode);
        foreach (var name in RcFiles.Keys.Where(n => n is not "user.lua" and not "sandbox.lua" and not "log.lua"))
        {
            script += Case(Path.GetFileNameWithoutExtension(name), $"-o initrc={name} echo Hi");
        }
        script += Case("missing", "-o initrc=nosuchfile echo Hi");
        var logs = await RunAsync(mode, script);

        Failed(logs["failed"], "failed.lua:1: unexpected symbol");
        Failed(logs["runtime"], "runtime.lua:3: attempt to perform arithmetic on a nil value");
        Failed(logs["bad-assign"], "bad-assign.lua:1: attempt to set read-only field shell.getenv");
        Failed(logs["bad-register"], "bad-register.lua:1: required handlers table missing");
        Failed(logs["handlers-not-array"], "handlers table exists but has no entries. (not an array?)");
        Failed(logs["failed-return"], "plugin 'failed-return': shell.init failed");
        Failed(logs["invalid-access"], "invalid-access.lua:1: attempt to access task outside of task context");
        Failed(logs["die"], "FATAL: die.lua:2: test: shell.die");
        Failed(logs["nofile"], "nofile.so: File not found");
        Failed(logs["cplugin"], "fluxcore.so is a flux-core C shell plugin");
        Failed(logs["missing"], "loading rc file nosuchfile: No such file or directory");
        Assert.True(logs["nomatch"].EndsWith("Hi\nrc=0\n", StringComparison.Ordinal), logs["nomatch"]);
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Run_UserrcAndVerbose_HandlersEffectsAndDebugLogShown(string mode)
    {
        var script = Prepare(mode) +
            Case("userrc", "-n2 --label-io -o userrc=user.lua sh -c 'echo $FROM_USERRC $MY_RANK'") +
            Case("quiet", "-o initrc=log.lua true") +
            Case("verbose", "-o verbose -o initrc=log.lua true") +
            Case("sandbox", "-o initrc=sandbox.lua true");
        var logs = await RunAsync(mode, script);

        var userrc = logs["userrc"];
        Assert.Contains("0: yes r0\n", userrc, StringComparison.Ordinal);
        Assert.Contains("1: yes r1\n", userrc, StringComparison.Ordinal);
        Assert.Contains("INFO: user.lua:6: task 0 exited 0", userrc, StringComparison.Ordinal);
        Assert.EndsWith("rc=0\n", userrc, StringComparison.Ordinal);

        Assert.Contains("INFO: log.lua:1: test: shell.log", logs["quiet"], StringComparison.Ordinal);
        Assert.Contains("ERROR: log.lua:4: test: error", logs["quiet"], StringComparison.Ordinal);
        Assert.DoesNotContain("DEBUG", logs["quiet"], StringComparison.Ordinal);
        Assert.Contains("DEBUG: Loading log.lua", logs["verbose"], StringComparison.Ordinal);
        Assert.Contains("DEBUG: log.lua:2: test: debug", logs["verbose"], StringComparison.Ordinal);

        Assert.Contains("sandbox checked", logs["sandbox"], StringComparison.Ordinal);
        Assert.DoesNotContain("ESCAPED", logs["sandbox"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "escaped.txt")), "a sandboxed initrc created a file");
        Assert.True(File.Exists(Path.Combine(_dir, "sandbox.lua")), "a sandboxed initrc removed a file");
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Run_Samples_EachRunsInARealJob(string mode)
    {
        var samples = Path.Combine(FluxProcess.Root, "samples", "initrc");
        var script = Prepare(mode) +
            Case("sample-userrc", $"-n2 --label-io -o userrc={samples}/userrc.lua sh -c 'echo $SAMPLE_TASK_LABEL $OMP_PROC_BIND'") +
            Case("sample-site", $"-n2 --label-io -o verbose -o initrc={samples}/site-initrc.lua -o userrc={samples}/userrc.lua sh -c 'echo threads=$OMP_NUM_THREADS $SAMPLE_TASK_LABEL'") +
            Case("sample-trace", $"-o verbose -o userrc={samples}/trace-topics.lua true");
        var logs = await RunAsync(mode, script);

        Assert.Contains("0: task-0-of-2 true\n", logs["sample-userrc"], StringComparison.Ordinal);
        Assert.Contains("1: task-1-of-2 true\n", logs["sample-userrc"], StringComparison.Ordinal);
        Assert.Matches(@"INFO: \S*userrc\.lua:\d+: task 1 done", logs["sample-userrc"]);
        Assert.Matches(@"0: threads=\d+ task-0-of-2\n", logs["sample-site"]);
        Assert.Matches(@"DEBUG: \S*site-initrc\.lua:\d+: job \d+ on ", logs["sample-site"]);
        foreach (var topic in new[] { "shell.init", "task.init", "task.fork", "shell.start", "task.exit", "shell.finish" })
        {
            Assert.Matches($@"DEBUG: \S*trace-topics\.lua:\d+: {topic.Replace(".", "\\.", StringComparison.Ordinal)} ", logs["sample-trace"]);
        }
        Assert.All(logs.Values, l => Assert.EndsWith("rc=0\n", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Run_ConfAttributes_SystemInitrcAndPluginPathAsFluxCore(string mode)
    {
        WriteAttributeRcFiles();
        var script = Prepare(mode) + Case("system", "true") + Case("searchpath", "-o initrc=print-searchpath.lua true");
        var logs = await RunAsync(mode, script, $"-Sconf.shell_initrc={_dir}/test-initrc.lua", "-Sconf.shell_pluginpath=/test/foo");
        Assert.Contains("loaded test-initrc", logs["system"], StringComparison.Ordinal);
        Assert.Contains("plugin.searchpath = /test/foo", logs["searchpath"], StringComparison.Ordinal);
        Assert.DoesNotContain("loaded test-initrc", logs["searchpath"], StringComparison.Ordinal);
        Assert.All(logs.Values, l => Assert.EndsWith("rc=0\n", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task Run_ConfAttributesSetWhileRunning_NextJobUsesTheNewValues(string mode)
    {
        // The shell host outlives the jobs: each job still runs with the attributes of its own start.
        WriteAttributeRcFiles();
        var script = Prepare(mode) + Case("before", "true")
            + $"flux setattr conf.shell_initrc {_dir}/test-initrc.lua; " + Case("initrc", "true")
            + "flux setattr conf.shell_pluginpath /test/bar; " + Case("searchpath", "-o initrc=print-searchpath.lua true");
        var logs = await RunAsync(mode, script);
        Assert.DoesNotContain("loaded test-initrc", logs["before"], StringComparison.Ordinal);
        Assert.Contains("loaded test-initrc", logs["initrc"], StringComparison.Ordinal);
        Assert.Contains("plugin.searchpath = /test/bar", logs["searchpath"], StringComparison.Ordinal);
        Assert.All(logs.Values, l => Assert.EndsWith("rc=0\n", l, StringComparison.Ordinal));
    }

    /// <summary>The rc files of the attribute cases: a system initrc that says it ran, and one that prints plugin.searchpath.</summary>
    private void WriteAttributeRcFiles()
    {
        File.WriteAllText(Path.Combine(_dir, "test-initrc.lua"), "shell.log (\"loaded test-initrc\")\n");
        File.WriteAllText(Path.Combine(_dir, "print-searchpath.lua"), "shell.log (\"plugin.searchpath = \" .. plugin.searchpath)\n");
    }

    /// <summary>Writes the rc files and the mode's config; returns the script's start (cd into the folder).</summary>
    private string Prepare(string mode)
    {
        foreach (var (name, text) in RcFiles)
        {
            File.WriteAllText(Path.Combine(_dir, name), text);
        }
        // cplugin.lua loads ./fluxcore.so: a file that exists, so that the refusal (not "File not found") is what fails.
        File.WriteAllText(Path.Combine(_dir, "fluxcore.so"), "");
        ExecToml.Write(Path.Combine(_dir, "conf"), mode);
        return $"cd {_dir}; ";
    }

    private static string Case(string name, string runArgs) => $"flux run {runArgs} > {name}.log 2>&1; echo rc=$? >> {name}.log; ";

    private async Task<Dictionary<string, string>> RunAsync(string mode, string script, params string[] attrs)
    {
        var r = await FluxProcess.RunAsync(["start", $"--config-path={Path.Combine(_dir, "conf")}", .. attrs, "sh", "-c", script]);
        Assert.True(r.ExitCode == 0, $"{mode}: {r}");
        return Directory.EnumerateFiles(_dir, "*.log").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText);
    }

    /// <summary>The job failed (non-zero exit) and its stderr shows the message.</summary>
    private static void Failed(string log, string message)
    {
        Assert.Contains(message, log, StringComparison.Ordinal);
        Assert.DoesNotContain("rc=0\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Hi\n", log, StringComparison.Ordinal);
    }
}
