// flux submit/run refuse options and attributes nothing acts on, naming each; what is acted on passes.
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Tests;

public sealed class SubmitSupportTests
{
    private static void Check(params string[] args)
    {
        var a = OptionParser.Parse("flux-run", [.. SubmitOptions.Specs, .. OutputOptions.Specs], [.. args, "true"], stopAtPositional: true);
        var jobspec = SubmitOptions.Build(a, a.Positionals);
        OutputOptions.Apply(a, jobspec);
        SubmitSupport.Check(jobspec, SubmitOptions.Flags(a));
    }

    private static string Refusal(params string[] args)
    {
        var ex = Assert.Throws<FluxException>(() => Check(args));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        return ex.Message;
    }

    [Theory]
    [InlineData("-o", "stage-in", "-o stage-in: not supported yet")]
    [InlineData("-o", "verbose=high", "-o verbose: expected a number")]
    [InlineData("-o", "cpu-affinity=bogus", "-o cpu-affinity: expected on, off, per-task or map:LIST")]
    [InlineData("-o", "gpu-affinity=map:0", "-o gpu-affinity: expected \"on\" or \"off\" or \"per-task\"")]
    [InlineData("-o", "exit-timeout=soon", "-o exit-timeout: expected a duration (30s, 1m...) or \"none\"")]
    [InlineData("-o", "pty.interactive", "-o pty.interactive: not supported yet")]
    [InlineData("-o", "output.batch-timeout=soon", "-o output.batch-timeout: expected a number of seconds or a duration (0.5, 50ms...)")]
    [InlineData("-o", "output.client.hwm=5", "-o output.client: not supported yet")]
    [InlineData("-o", "output.stdout.type=term", "-o output.stdout.type: expected \"file\" or \"kvs\"")]
    [InlineData("-o", "output.stderr.buffer.type=line", "-o output.stderr.buffer.type: expected \"none\"")]
    [InlineData("-o", "signal", "-o signal: expected an object of signum, timeleft")]
    [InlineData("--setattr", "color=red", "--setattr system.color: not supported yet")]
    [InlineData("--setattr", "system.files.x=1", "--setattr system.files: not supported yet")]
    [InlineData("--setattr", "system.job.cc=1", "--setattr system.job.cc: not supported yet")]
    [InlineData("--setattr", "system.exec.test.override=1", "--setattr system.exec.test.override: not supported yet")]
    [InlineData("--flags", "debug", "--flags=debug: not supported yet")]
    public void Check_IgnoredSetting_RefusedByName(string option, string value, string message) =>
        Assert.Equal(message, Refusal(option, value));

    [Fact]
    public void Check_EverythingActedOn_Passes() =>
        Check("-n2", "-t", "1000d", "--queue=q", "--job-name=j", "--urgency=hold", "--flags=waitable",
            "--setattr=user.anything=1", "--setattr=bank=b", "--setattr=project=p", "--setattr=system.exec.test.run_duration=1s",
            "--setattr=system.exec.test.wait_status=0", "--signal=USR1@10s", "--dependency=afterok:ƒ2",
            "-o", "label-io", "-o", "pty=0", "-o", "output.mode=append", "-o", "input.stdin.type=service",
            "-o", "initrc=init.lua", "-o", "userrc=u.lua", "-o", "verbose=2",
            "--output=out.txt", "--error=err.txt", "--unbuffered", "--input=/dev/null", "--label-io",
            "-o", "cpu-affinity=per-task", "-o", "gpu-affinity=off", "-o", "exit-timeout=none", "-o", "exit-on-error");

    [Theory]
    [InlineData("cpu-affinity=on")]
    [InlineData("cpu-affinity=verbose,dry-run,map:0-1;2")]
    [InlineData("exit-timeout=2.5s")]
    public void Check_BuiltinShellPluginOption_Passes(string option) => Check("-o", option);

    [Fact]
    public void SubmitOptions_InfiniteTimeLimit_RefusedAtBuild()
    {
        var ex = Assert.Throws<FluxException>(() => Check("-t", "inf"));
        Assert.Equal("duration must be a non-negative, finite number of seconds", ex.Message);
    }

    [Fact]
    public void Unsupported_FluxCoreRlimitOption_IsAccepted()
    {
        var jobspec = new JobspecBuilder(["true"]).SetOpt("rlimit", new System.Text.Json.Nodes.JsonObject { ["nofile"] = 1024, ["core"] = -1 }).Build();
        Assert.Null(Flux.Shell.ShellOptions.Unsupported(jobspec["attributes"]!["system"]!["shell"]!["options"]!.AsObject()));
    }

    [Theory]
    [InlineData("rlimit.nofiles=10", "rlimit.nofiles")]
    [InlineData("rlimit.nofile=\"many\"", "rlimit.nofile")]
    [InlineData("rlimit.core=-2", "rlimit.core")]
    public void Check_BadRlimit_NamesTheLimit(string option, string name)
    {
        var ex = Assert.Throws<FluxException>(() => Check("-o", option));
        Assert.StartsWith($"-o {name}: ", ex.Message, StringComparison.Ordinal);
    }
}
