// flux jobtap list, load, query and remove run as a user runs them, with the sample plugin loaded by path; the singleton scheme.
namespace Flux.EndToEnd.Tests;

public sealed class JobtapEndToEndTests
{
    [Fact]
    public async Task List_All_ShowsBuiltinsPlainListDoesNot()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux jobtap list; echo --; flux jobtap list -a");
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        Assert.Equal(string.Empty, parts[0]);
        Assert.Contains(".priority-default\n", parts[1], StringComparison.Ordinal);
        Assert.Contains(".dependency-after\n", parts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SamplePlugin_LoadedWithMaxTwo_ThirdSubmissionRejected()
    {
        var dll = Repo.SampleDll("ActiveJobLimit");
        var script = $"""
            flux jobtap load {dll} max=2 || exit 10
            flux submit sleep 60 >/dev/null && flux submit sleep 60 >/dev/null || exit 11
            flux submit sleep 60 && exit 12
            flux jobtap query active-job-limit
            flux cancel --all
            flux jobtap remove active-job-limit && flux jobtap list
            """;
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("already has 2 active jobs (limit 2): wait for one to finish", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"active-job-limit\"", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"max\":2", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SamplePlugin_UnknownOrIllTypedConfKey_LoadRefusedNamingTheKey()
    {
        // The sample binds its conf to a class (AddFluxPluginConf): KEY=VAL words are checked against it.
        var dll = Repo.SampleDll("ActiveJobLimit");
        var script = $"""
            flux jobtap load {dll} maxx=2; echo rc=$?
            flux jobtap load {dll} max=lots; echo rc=$?
            flux jobtap list
            """;
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rc=1\nrc=1\n", r.Stdout);
        Assert.Contains("jobtap plugin active-job-limit: [conf] maxx: unknown key (expected max), got 2", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("jobtap plugin active-job-limit: [conf] max: expected an integer from -2147483648 to 2147483647, got \"lots\"", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_DependencySingleton_HeldWhileNamedJobRunsThenRuns()
    {
        // .dependency-singleton: a second "nightly" job waits in DEPEND until the first one ends;
        // a singleton job without a name is refused at submit.
        var script = """
            a=$(flux submit --job-name=nightly sleep 300)
            b=$(flux submit --job-name=nightly --dependency=singleton echo ran-b)
            flux job wait-event -t 60 $b dependency-add >/dev/null && flux jobs -no {state} $b
            flux cancel $a
            flux job wait-event -t 60 $b clean >/dev/null && flux jobs -no {result} $b
            flux submit --dependency=singleton true; echo rc=$?
            """;
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("DEPEND\nCOMPLETED\nrc=1\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("flux-submit: singleton jobs require a job name", r.Stderr, StringComparison.Ordinal);
    }
}
