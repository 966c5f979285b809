// Runs one initrc script in a fresh engine against a fake shell, for the tests.
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

internal sealed class RcRun : IDisposable
{
    private RcRun(FakeShellHost host, string dir, string file, ShellRc engine, ShellRcException? error)
    {
        Host = host;
        Dir = dir;
        File = file;
        Engine = engine;
        Error = error;
    }

    public FakeShellHost Host { get; }
    public string Dir { get; }
    public string File { get; }
    public ShellRc Engine { get; }
    public ShellRcException? Error { get; }

    /// <summary>The fluxometer test library, which scripts load with require 'fluxometer'.</summary>
    public static ShellRcOptions WithTestMore(TimeSpan? timeLimit = null) => new()
    {
        Modules = new Dictionary<string, string>
        {
            ["fluxometer"] = System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Lua", "fluxometer.lua")),
        },
        TimeLimit = timeLimit ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>Writes <paramref name="script"/> as <paramref name="name"/> in a new folder and runs it.</summary>
    public static RcRun Start(string script, FakeShellHost? host = null, string name = "initrc.lua", ShellRcOptions? options = null, string? dir = null)
    {
        host ??= new FakeShellHost();
        dir ??= TempDirs.Create("flux-rc-");
        string file = Path.Combine(dir, name);
        System.IO.File.WriteAllText(file, script);
        var engine = new ShellRc(host, file, options ?? WithTestMore());
        ShellRcException? error = null;
        try
        {
            engine.Run();
        }
        catch (ShellRcException e)
        {
            error = e;
        }
        return new RcRun(host, dir, file, engine, error);
    }

    /// <summary>Runs and expects success, with the logged messages in the failure text.</summary>
    public static RcRun Ok(string script, FakeShellHost? host = null, string name = "initrc.lua", ShellRcOptions? options = null)
    {
        var run = Start(script, host, name, options);
        Assert.True(run.Error is null, $"{run.Error?.Message}\n{string.Join("\n", run.Host.LogText)}");
        return run;
    }

    /// <summary>The TAP lines the fluxometer functions printed must have no failure and end with a plan.</summary>
    public void AssertTapPassed(int atLeast)
    {
        string all = string.Join("\n", Host.Printed) + "\n" + string.Join("\n", Host.LogText);
        Assert.DoesNotContain(Host.Printed, l => l.StartsWith("not ok", StringComparison.Ordinal));
        Assert.True(Host.Printed.Count(l => l.StartsWith("ok ", StringComparison.Ordinal)) >= atLeast, all);
    }

    public void Dispose() => Engine.Dispose();
}
