// The shell's plugin machinery: handler dispatch and failures, same-name replacement, tasks read-only once started, the CPU set reaching the task.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Shell.Tests;

public sealed class ShellPluginMachineryTests
{
    private sealed class Recorder : IFluxPlugin
    {
        public static List<string> Calls { get; } = [];

        public void Register(IPluginRegistrar plugin)
        {
            plugin.Handle("task.*", (topic, _) => Record("first " + topic));
            plugin.Handle("task.init", (topic, _) => Record("never " + topic));
            plugin.HandleAsync("shell.*", async (topic, args, _) =>
            {
                await Task.Yield();
                return topic == "shell.init" ? args.Error("refused") : Record("async " + topic);
            });
            plugin.Handle("boom", (_, _) => throw new InvalidOperationException("bad state"));
        }

        private static bool Record(string s)
        {
            Calls.Add(s);
            return true;
        }
    }

    private sealed class Named(string tag) : IFluxPlugin
    {
        public void Register(IPluginRegistrar plugin) => plugin.Handle("*", (topic, _) =>
        {
            Recorder.Calls.Add(tag);
            return true;
        });
    }

    private sealed class First() : IFluxPlugin
    {
        private readonly Named _inner = new("first");

        public void Register(IPluginRegistrar plugin) => _inner.Register(plugin);
    }

    private sealed class Second() : IFluxPlugin
    {
        private readonly Named _inner = new("second");

        public void Register(IPluginRegistrar plugin) => _inner.Register(plugin);
    }

    private sealed class Third() : IFluxPlugin
    {
        private readonly Named _inner = new("third");

        public void Register(IPluginRegistrar plugin) => _inner.Register(plugin);
    }

    [Fact]
    public async Task Call_SeveralGlobsMatch_OnlyThePluginsFirstRuns_AsyncAccepted()
    {
        Recorder.Calls.Clear();
        using var h = new PluginHarness(new FakeShell(1)).With<Recorder>("recorder");
        Assert.Null(await h.CallAsync("task.init"));
        Assert.Null(await h.CallAsync("shell.start"));
        Assert.Equal(["first task.init", "async shell.start"], Recorder.Calls);
    }

    [Fact]
    public async Task Call_HandlerFailsOrThrows_FailsNamingPluginTopicAndReason()
    {
        using var h = new PluginHarness(new FakeShell(1)).With<Recorder>("recorder");
        Assert.Equal("recorder", await h.CallAsync("shell.init"));
        Assert.Equal("recorder", await h.CallAsync("boom"));
        Assert.Equal(["recorder: shell.init: refused", "recorder: boom: InvalidOperationException: bad state"], h.Reported);
    }

    [Fact]
    public async Task Load_SameNameAgain_ReplacesItAndMovesToTheEnd()
    {
        Recorder.Calls.Clear();
        using var h = new PluginHarness(new FakeShell(1)).With<First>("a").With<Second>("b").With<Third>("a");
        Assert.Equal(["b", "a"], h.Names);
        Assert.Null(await h.CallAsync("shell.init", new JsonObject()));
        Assert.Equal(["second", "third"], Recorder.Calls);
    }

    [Fact]
    public void PluginTask_BeforeStart_Changeable_AfterStart_ReadOnly()
    {
        var task = new PluginTask(0, 0, ["true"], "/tmp", []);
        task.Argv = ["echo", "hi"];
        task.Cwd = "/";
        task.Cpus = [0];
        task.SetEnv("A", "1");
        task.SetEnv("A", "2", overwrite: false);
        Assert.Equal("1", task.GetEnv("A"));
        Assert.Equal("Init", task.Info["state"]!.GetValue<string>());
        task.Attach(ShellTask.Failed(0, 127));
        Assert.True(task.Started);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => task.SetEnv("B", "1")).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => task.Argv = ["x"]).Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => task.Cwd = "/tmp").Errnum);
        Assert.Equal(Errno.EINVAL, Assert.Throws<FluxException>(() => task.Cpus = null).Errnum);
        Assert.Equal(["echo", "hi"], task.Argv);
    }

    [Fact]
    public async Task ShellTask_WithCpus_RunsBoundToThem_AndTheShellThreadIsNot()
    {
        var before = CpusAllowed(File.ReadAllText("/proc/thread-self/status"));
        using var task = ShellTask.Start(0, ["grep", "Cpus_allowed_list", "/proc/self/status"], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, "/tmp", null, false, [0]);
        using var reader = new StreamReader(task.Stdout);
        var output = reader.ReadToEndAsync();
        task.StreamClosed();
        await task.Stderr!.CopyToAsync(Stream.Null).WaitAsync(TimeSpan.FromSeconds(30));
        task.StreamClosed();
        Assert.Equal(0, await task.CompletedAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("0", CpusAllowed(await output.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(before, CpusAllowed(File.ReadAllText("/proc/thread-self/status")));
    }

    private static string CpusAllowed(string status) =>
        status.Split('\n').First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
}
