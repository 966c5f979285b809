// flux submit/run options to an RFC 14/25 jobspec, and the values they parse (time limit, signal, flags, urgency, dependencies, environment).
using System.Text.Json.Nodes;
using Flux.Cli.Jobs;
using Flux.Formats;

namespace Flux.Cli.Tests;

public sealed class SubmitOptionsTests
{
    private static ParsedArgs Args(params string[] args) =>
        OptionParser.Parse("flux-submit", [.. SubmitOptions.Specs, .. OutputOptions.Specs], args, stopAtPositional: true);

    private static JsonObject Build(params string[] args)
    {
        var a = Args(args);
        return SubmitOptions.Build(a, a.Positionals);
    }

    [Fact]
    public void Build_ShapeOptions_GiveSlotsCoresDurationAndCommand()
    {
        var j = Build("-n4", "-c2", "-t", "10m", "--queue=batch", "--job-name=jn", "--cwd=/w", "echo", "hi");
        var slot = j["resources"]![0]!;
        Assert.Equal("slot", slot["type"]!.GetValue<string>());
        Assert.Equal(4, slot["count"]!.GetValue<int>());
        Assert.Equal("core", slot["with"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(2, slot["with"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(["echo", "hi"], j["tasks"]![0]!["command"]!.AsArray().Select(n => n!.GetValue<string>()));
        var system = j["attributes"]!["system"]!;
        Assert.Equal(600, system["duration"]!.GetValue<double>());
        Assert.Equal("batch", system["queue"]!.GetValue<string>());
        Assert.Equal("jn", system["job"]!["name"]!.GetValue<string>());
        Assert.Equal("/w", system["cwd"]!.GetValue<string>());
        Assert.Equal(1, j["version"]!.GetValue<int>());
    }

    [Fact]
    public void Build_TasksPerCore_PacksTheTaskTotalOntoFewerCores()
    {
        var j = Build("-n4", "--tasks-per-core=2", "true");
        Assert.Equal(2, j["resources"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(4, j["tasks"]![0]!["count"]!["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(new[] { "-N1", "-n2", "--tasks-per-core=2", "true" }, "--tasks-per-core needs -n and cannot be combined with -N, -c or -g")]
    [InlineData(new[] { "-N3", "-n2", "true" }, "node count 3 exceeds task count 2")]
    [InlineData(new string[0], "job command and arguments are missing")]
    [InlineData(new[] { "-n0", "true" }, "--ntasks: expected an integer >= 1, got '0'")]
    public void Build_InconsistentShape_IsAUsageError(string[] args, string message)
    {
        var ex = Assert.Throws<UsageException>(() => Build(args));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Build_SetattrSetoptSignalAndDependency_GoWhereFluxCorePutsThem()
    {
        var j = Build("--setattr=user.x=1", "--setattr=color=red", "--setopt=foo", "--signal=SIGINT@30s", "--dependency=afterok:ƒ2", "true");
        Assert.Equal(1, j["attributes"]!["user"]!["x"]!.GetValue<int>());
        Assert.Equal("red", j["attributes"]!["system"]!["color"]!.GetValue<string>());
        var shell = j["attributes"]!["system"]!["shell"]!["options"]!;
        Assert.Equal(1, shell["foo"]!.GetValue<int>());
        Assert.Equal(2, shell["signal"]!["signum"]!.GetValue<int>());
        Assert.Equal(30, shell["signal"]!["timeleft"]!.GetValue<double>());
        Assert.Equal("afterok", j["attributes"]!["system"]!["dependencies"]![0]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public void Build_NoRlimitRule_PropagatesTheSoftLimitsFluxCoreDoes()
    {
        var rlimit = Build("true")["attributes"]!["system"]!["shell"]!["options"]!["rlimit"]!.AsObject();
        Assert.Equal(["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "as"], rlimit.Select(kv => kv.Key));
        Assert.Equal(RlimitRules.Current(7), rlimit["nofile"]!.GetValue<long>());
    }

    [Fact]
    public void RlimitRules_DropAddAndSet_AppliedInOrder()
    {
        var rlimit = RlimitRules.Build(["-*", "nofile,memlock", "core=unlimited", "stack=1024"], r => r * 10);
        Assert.Equal("""{"nofile":70,"memlock":80,"core":-1,"stack":1024}""", rlimit.ToJsonString());
    }

    [Theory]
    [InlineData("nofiles=1", "invalid rlimit \"nofiles\"")]
    [InlineData("nofile=lots", "invalid value in nofile=lots")]
    [InlineData("zz*", "no limit matches \"zz*\"")]
    public void RlimitRules_BadRule_Refused(string rule, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => RlimitRules.Build([rule], _ => 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Build_SetoptRlimit_OverridesThePropagatedValue()
    {
        var rlimit = Build("-o", "rlimit.nofile=128", "true")["attributes"]!["system"]!["shell"]!["options"]!["rlimit"]!;
        Assert.Equal(128, rlimit["nofile"]!.GetValue<int>());
        Assert.NotNull(rlimit["stack"]);
    }

    [Fact]
    public void OutputOptions_Apply_WritesShellOutputOptions()
    {
        var a = Args("--output=out.{{id}}", "--label-io", "--unbuffered", "true");
        var j = SubmitOptions.Build(a, a.Positionals);
        OutputOptions.Apply(a, j);
        var opts = j["attributes"]!["system"]!["shell"]!["options"]!;
        Assert.Equal("out.{{id}}", opts["output"]!["stdout"]!["path"]!.GetValue<string>());
        Assert.Equal("out.{{id}}", opts["output"]!["stderr"]!["path"]!.GetValue<string>());
        Assert.Equal("none", opts["output"]!["stdout"]!["buffer"]!["type"]!.GetValue<string>());
        Assert.Equal("none", opts["output"]!["stderr"]!["buffer"]!["type"]!.GetValue<string>());
        Assert.Equal(0.05, opts["output"]!["batch-timeout"]!.GetValue<double>());
        Assert.True(opts["output"]!["stdout"]!["label"]!.GetValue<bool>());
        Assert.True(opts["output"]!["stderr"]!["label"]!.GetValue<bool>());
        Assert.Null(Flux.Shell.ShellOptions.Unsupported(opts.AsObject()));
    }

    [Theory]
    [InlineData("5", 300)]
    [InlineData("0.5", 30)]
    [InlineData("30s", 30)]
    [InlineData("2h", 7200)]
    public void ParseTimeLimit_MinutesOrFsd_IsSeconds(string text, double seconds) => Assert.Equal(seconds, SubmitOptions.ParseTimeLimit(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("soon")]
    public void ParseTimeLimit_Bad_IsAUsageError(string text) => Assert.Throws<UsageException>(() => SubmitOptions.ParseTimeLimit(text));

    [Theory]
    [InlineData("", 10, 60)]
    [InlineData("SIGINT@30s", 2, 30)]
    [InlineData("@5m", 10, 300)]
    [InlineData("9", 9, 60)]
    public void ParseSignal_EitherPartOptional_DefaultsAreSigusr1And60s(string text, int signum, double left) =>
        Assert.Equal((signum, left), SubmitOptions.ParseSignal(text));

    [Fact]
    public void Flags_Names_AreTheWireFlags()
    {
        Assert.Equal(SubmitFlags.Waitable | SubmitFlags.Debug, SubmitOptions.Flags(Args("--flags=waitable,debug", "true")));
        Assert.Equal(SubmitFlags.NoValidate, SubmitOptions.Flags(Args("--flags=novalidate", "true")));
        Assert.Equal(SubmitFlags.None, SubmitOptions.Flags(Args("true")));
        var ex = Assert.Throws<UsageException>(() => SubmitOptions.Flags(Args("--flags=fast", "true")));
        Assert.Equal("--flags: unknown flag 'fast' (waitable, debug, novalidate)", ex.Message);
    }

    [Theory]
    [InlineData("hold", 0)]
    [InlineData("expedite", 31)]
    [InlineData("default", 16)]
    [InlineData("7", 7)]
    public void ParseUrgency_NamesAndNumbers(string text, int urgency) => Assert.Equal(urgency, SubmitOptions.ParseUrgency(text));

    [Fact]
    public void ParseUrgency_OutOfRange_IsAUsageError() =>
        Assert.Equal("invalid urgency '32': expected 0-31, hold, expedite or default", Assert.Throws<UsageException>(() => SubmitOptions.ParseUrgency("32")).Message);

    [Fact]
    public void ParseDependency_SchemeValueAndQuery_AsRfc26()
    {
        var d = SubmitOptions.ParseDependency("afterok:ƒ2abc?type=x&flag");
        Assert.Equal("afterok", d["scheme"]!.GetValue<string>());
        Assert.Equal("ƒ2abc", d["value"]!.GetValue<string>());
        Assert.Equal("x", d["type"]!.GetValue<string>());
        Assert.Equal("1", d["flag"]!.GetValue<string>());
        Assert.Throws<UsageException>(() => SubmitOptions.ParseDependency("afterok"));
        var singleton = SubmitOptions.ParseDependency("singleton");
        Assert.Equal(("singleton", ""), (singleton["scheme"]!.GetValue<string>(), singleton["value"]!.GetValue<string>()));
    }

    [Fact]
    public void BuildEnvironment_RulesApplyInOrder_AndExpandFromTheCurrentEnvironment()
    {
        Environment.SetEnvironmentVariable("FLUX_CLI_TESTS_SOURCE", "src");
        var env = SubmitOptions.BuildEnvironment(Args("--env=-*", "--env=FLUX_CLI_TESTS_*", "--env=COPY=${FLUX_CLI_TESTS_SOURCE}/x", "true"));
        Assert.Equal("src", env["FLUX_CLI_TESTS_SOURCE"]);
        Assert.Equal("src/x", env["COPY"]);
        Assert.False(env.ContainsKey("PATH"));
        Assert.Equal(2, env.Count);
    }
}
