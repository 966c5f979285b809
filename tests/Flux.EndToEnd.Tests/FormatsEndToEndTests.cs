// flux job id, flux hostlist, flux R and flux job validate run as real processes; none needs an instance.
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.EndToEnd.Tests;

public sealed class FormatsEndToEndTests : IDisposable
{
    private const ulong ExampleId = 6731191091817518;

    private readonly string _dir = TempDirs.Create("flux-e2e-formats-");

    private static string JobspecFixtures => Path.Combine(FluxProcess.Root, "tests", "Flux.EndToEnd.Tests", "Fixtures", "jobspec");

    private static Dictionary<string, string> Utf8 => new() { ["LC_ALL"] = "C.UTF-8" };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<FluxResult> Flux(params string[] args) => FluxProcess.RunAsync(args);

    private static Task<FluxResult> FluxIn(string stdin, params string[] args) => FluxProcess.RunAsync(args, stdin);

    private static Task<FluxResult> Shell(string script) => FluxProcess.RunAsync(["-c", script], exe: "/bin/sh");

    private static void Ok(FluxResult r, string stdout)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(stdout, r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    private static void Fails(FluxResult r, int exitCode, string stderr)
    {
        Assert.True(r.ExitCode == exitCode, r.ToString());
        Assert.Contains(stderr, r.Stderr, StringComparison.Ordinal);
    }

    // ---- flux job id ----

    [Fact]
    public async Task JobId_ToF58_PrintsRfc19Example()
    {
        var expected = Environment.GetEnvironmentVariable("FLUX_F58_FORCE_ASCII") is null ? "ƒuZZybuNNy\n" : "fuZZybuNNy\n";
        Ok(await FluxProcess.RunAsync(["job", "id", "--to=f58", "6731191091817518"], env: Utf8), expected);
        Ok(await FluxProcess.RunAsync(["job", "id", "--to=f58", "6731191091817518"], env: new Dictionary<string, string> { ["FLUX_F58_FORCE_ASCII"] = "1" }), "fuZZybuNNy\n");
        Ok(await FluxProcess.RunAsync(["job", "id", "-t", "f58", "6731191091817518"], env: new Dictionary<string, string> { ["LC_ALL"] = "C" }), "fuZZybuNNy\n");
    }

    [Fact]
    public async Task JobId_EveryEncoding_MatchesLibraryAndRoundTrips()
    {
        var expected = new Dictionary<string, string>
        {
            ["dec"] = "6731191091817518",
            ["hex"] = "0x17e9fb8df16c2e",
            ["kvs"] = "job.0017.e9fb.8df1.6c2e",
            ["dothex"] = "0017.e9fb.8df1.6c2e",
            ["words"] = "reform-remote-galileo--heart-package-academy",
            ["f58plain"] = "fuZZybuNNy",
            ["emoji"] = Fluid.Encode(ExampleId, FluidEncoding.Emoji),
        };
        var outputs = new List<string>();
        foreach (var (name, text) in expected)
        {
            var r = await FluxProcess.RunAsync(["job", "id", $"--to={name}", "6731191091817518"], env: Utf8);
            Ok(r, text + "\n");
            outputs.Add(text);
        }
        // Every form read back from stdin, in one run, with a blank line and padding that are ignored.
        var back = await FluxProcess.RunAsync(["job", "id"], string.Join("\n", outputs) + "\n\n  ƒuZZybuNNy  \n", Utf8);
        Ok(back, string.Concat(Enumerable.Repeat("6731191091817518\n", outputs.Count + 1)));
    }

    [Fact]
    public async Task JobId_ArgumentsAndUnpaddedDothex_ConvertInOrder()
    {
        Ok(await Flux("job", "id", "--to=dothex", "1", "0x10", "0.0.0.ffff"), "0000.0000.0000.0001\n0000.0000.0000.0010\n0000.0000.0000.ffff\n");
        Ok(await Flux("job", "id", "--to=hex", "job.0000.0000.0000.00ff"), "0xff\n");
    }

    [Fact]
    public async Task JobId_BadId_PrintsEarlierIdsThenFailsWithExit1()
    {
        var r = await FluxIn("1\nxyz\n2\n", "job", "id");
        Fails(r, 1, "flux-job: id: 'xyz': malformed decimal job id: 'x' is not a base-10 digit");
        Assert.Equal("1\n", r.Stdout);
        Fails(await Flux("job", "id", "18446744073709551616"), 1, "flux-job: id: '18446744073709551616': malformed decimal job id: value exceeds 2^64-1");
        Fails(await Flux("job", "id", "0.0.0"), 1, "flux-job: id: '0.0.0': malformed dothex job id: expected 4 dot-separated groups, got 3");
    }

    [Fact]
    public async Task JobId_BadOptionsAndEmptyInput_FailClearly()
    {
        Fails(await Flux("job", "id", "--to=octal", "1"), 2, "flux-job: --to: unknown encoding 'octal' (expected dec|hex|kvs|dothex|words|f58|f58plain|emoji)");
        Fails(await Flux("job", "id", "--from=hex", "123"), 1, "flux-job: id: '123': not in hex form (it looks like dec)");
        Ok(await Flux("job", "id", "--from=f58", "fuZZybuNNy"), "6731191091817518\n");
        Fails(await FluxIn("", "job", "id"), 1, "flux-job: id: no job IDs on the command line or stdin");
    }

    // ---- flux hostlist ----

    [Fact]
    public async Task Hostlist_Expand_PrintsEachHost()
    {
        Ok(await Flux("hostlist", "-e", "test[1-3,5]"), "test1 test2 test3 test5\n");
        Ok(await Flux("hostlist", "-ed\\n", "test[1-2]"), "test1\ntest2\n");
        Ok(await Flux("hostlist", "--expand", "--delimiter=,", "a[01-02]"), "a01,a02\n");
    }

    [Fact]
    public async Task Hostlist_DefaultMode_ConcatenatesKeepingOrderAndRepeats()
    {
        Ok(await Flux("hostlist", "test[1-3,5]", "test[4,6]", "test1"), "test[1-3,5,4,6,1]\n");
        Ok(await Flux("hostlist", "-c", "test[1-3,5]", "test1"), "5\n");
        Ok(await Flux("hostlist", "-S", "n[5,3],a1,n1"), "a1,n[1,3,5]\n");
        Ok(await Flux("hostlist", "-u", "test[1-3,5]", "test[4,6]", "test2"), "test[1-6]\n");
        Ok(await Flux("hostlist", "--unique", "b1,a1,b1"), "a1,b1\n");
    }

    [Fact]
    public async Task Hostlist_SetOperations_AsFluxCore()
    {
        Ok(await Flux("hostlist", "-i", "n[1-5]", "n[3-8]", "n[4-9]"), "n[4-5]\n");
        Ok(await Flux("hostlist", "-X", "n[1-5]", "n[3-8]"), "n[1-2,6-8]\n");
        Ok(await Flux("hostlist", "-m", "n[1-8]", "n3", "n5"), "n[1-2,4,6-8]\n");
        // minus deletes one occurrence per named host and keeps order, like hostlist_delete().
        Ok(await Flux("hostlist", "--minus", "n[1-3],n[1-3]", "n2"), "n[1,3,1-3]\n");
        var empty = await Flux("hostlist", "-q", "-i", "n[1-2]", "n[3-4]");
        Assert.True(empty.ExitCode == 1 && empty.Stdout == "" && empty.Stderr == "", empty.ToString());
        Ok(await Flux("hostlist", "-q", "-i", "n[1-2]", "n[2-4]"), "");
    }

    [Fact]
    public async Task Hostlist_ExcludeLimitNthFind_AsFluxCore()
    {
        Ok(await Flux("hostlist", "-x", "n2", "n[1-3],n[1-3]"), "n[1,3,1,3]\n");
        Ok(await Flux("hostlist", "-x", "0,2", "n[1-5]"), "n[2,4-5]\n");
        Ok(await Flux("hostlist", "-x", "zz", "n[1-2]"), "n[1-2]\n");
        Ok(await Flux("hostlist", "-L", "2", "n[1-5]"), "n[1-2]\n");
        Ok(await Flux("hostlist", "-L", "-2", "n[1-5]"), "n[4-5]\n");
        Ok(await Flux("hostlist", "-n", "0,2", "n[1-5]"), "n[1,3]\n");
        Ok(await Flux("hostlist", "-n", "-1", "n[1-5]"), "n5\n");
        Ok(await Flux("hostlist", "--nth=-1-2", "n[1-5]"), "n[4-5]\n");
        Ok(await Flux("hostlist", "-F", "n[2,4]", "n[1-5]"), "1 3\n");
        Fails(await Flux("hostlist", "-n", "7", "n[1-5]"), 1, "flux-hostlist: --nth: index 7 is out of range for 5 hosts");
        Fails(await Flux("hostlist", "-F", "n9", "n[1-5]"), 1, "flux-hostlist: --find: host 'n9' is not in the hostlist");
        Fails(await Flux("hostlist", "-L", "x", "n1"), 2, "flux-hostlist: --limit: expected an integer, got 'x'");
    }

    [Fact]
    public async Task Hostlist_Stdin_IsDefaultAndDash()
    {
        Ok(await FluxIn("a[1-2]\nb3\n\n", "hostlist"), "a[1-2],b3\n");
        Ok(await FluxIn("a[1-2]\n", "hostlist", "-", "b1"), "a[1-2],b1\n");
        Ok(await FluxIn("a[1-2]\n", "hostlist", "-c", "stdin"), "2\n");
        Ok(await FluxIn("", "hostlist"), "");
        Fails(await FluxIn("ok1\nbad[\n", "hostlist"), 1, "flux-hostlist: stdin:2: invalid hostlist 'bad['");
        var slow = await Shell("sleep 1 | FLUX_HOSTLIST_STDIN_TIMEOUT=0.1 flux hostlist");
        Fails(slow, 1, "flux-hostlist: timeout after 0.1s waiting for stdin");
    }

    [Fact]
    public async Task Hostlist_InstanceSourcesAndJobIds_OutsideAnInstance_SayHowToConnect()
    {
        foreach (var source in new[] { "local", "avail", "available", "instance" })
        {
            var r = await Flux("hostlist", source);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("cannot connect to local://", r.Stderr, StringComparison.Ordinal);
        }
        Assert.Contains("cannot connect to local://", (await Flux("hostlist", "foo1")).Stderr, StringComparison.Ordinal);
        Ok(await Flux("hostlist", "--fallback", "foo1", "foo2"), "foo[1-2]\n");
        Ok(await Flux("hostlist", "fluke[1-2]"), "fluke[1-2]\n");
    }

    [Fact]
    public async Task Hostlist_InstanceSourcesAndJobIds_InsideAnInstance()
    {
        var dir = TempDirs.Create("flux-e2e-hl-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "r.toml"), "[[resource.config]]\nhosts = \"n[0-3]\"\ncores = \"0\"\n");
            var r = await FluxProcess.RunAsync("start", $"--config-path={dir}", "sh", "-c",
                "flux hostlist instance; flux resource drain n1 broken; flux hostlist avail; id=$(flux submit -N2 sleep 30); flux job wait-event $id start >/dev/null; flux hostlist $id; flux hostlist -f $id nodeX; flux cancel $id");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(["n[0-3]", "n[0,2-3]", "n[0,2]", "n[0,2],nodeX"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Hostlist_BadInput_ExitCodes()
    {
        Fails(await Flux("hostlist", "x["), 1, "flux-hostlist: invalid jobid or hostlist 'x['");
        Fails(await Flux("hostlist", "-e", "-c", "n1"), 2, "flux-hostlist: --expand and --count cannot be used together");
        Fails(await Flux("hostlist", "-i", "-m", "n1"), 2, "flux-hostlist: --intersect and --minus cannot be used together");
        Fails(await Flux("hostlist", "-x", "a[", "n1"), 2, "flux-hostlist: --exclude: invalid hostlist 'a['");
        Fails(await Flux("hostlist", "--bogus"), 2, "flux-hostlist: unrecognized option '--bogus'");
    }

    // ---- flux R ----

    [Fact]
    public async Task R_EncodeThenDecodeShort_PrintsRlistSummary()
    {
        var encoded = await Flux("R", "encode", "--ranks=0-3", "--cores=0-7");
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        Ok(await FluxIn(encoded.Stdout, "R", "decode", "--short"), "rank[0-3]/core[0-7]\n");
        // Without --hosts every rank is named after this machine, as flux-core does.
        var host = System.Net.Dns.GetHostName();
        Ok(await FluxIn(encoded.Stdout, "R", "decode", "--nodelist"), new Hostlist(Enumerable.Repeat(host, 4)) + "\n");
        var piped = await Shell("flux R encode --ranks=0-3 --cores=0-7 | flux R decode --short");
        Ok(piped, "rank[0-3]/core[0-7]\n");
    }

    [Fact]
    public async Task R_Encode_WritesRfc20Json()
    {
        var r = await Flux("R", "encode", "-H", "node[0-1]", "-c", "0-3", "-g", "0", "-p", "big:1", "--property=all");
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(1, json["version"]!.GetValue<int>());
        var entry = json["execution"]!["R_lite"]![0]!;
        Assert.Equal("0-1", entry["rank"]!.GetValue<string>());
        Assert.Equal("0-3", entry["children"]!["core"]!.GetValue<string>());
        Assert.Equal("0", entry["children"]!["gpu"]!.GetValue<string>());
        Assert.Equal("node[0-1]", json["execution"]!["nodelist"]![0]!.GetValue<string>());
        Assert.Equal("1", json["execution"]!["properties"]!["big"]!.GetValue<string>());
        Assert.Equal("0-1", json["execution"]!["properties"]!["all"]!.GetValue<string>());
        var parsed = Rv1.Parse(r.Stdout);
        Assert.Equal("rank[0-1]/core[0-3],gpu0", parsed.ToShortString());
        Ok(await Flux("R", "encode", "-r", "0-1", "-g", "0-1", "-c", "", "-H", "g[0-1]"),
            "{\"version\":1,\"execution\":{\"R_lite\":[{\"rank\":\"0-1\",\"children\":{\"core\":\"\",\"gpu\":\"0-1\"}}],\"starttime\":0,\"expiration\":0,\"nodelist\":[\"g[0-1]\"]}}\n");
    }

    [Fact]
    public async Task R_EncodeBadOptions_FailWithFluxCoreMessages()
    {
        Fails(await Flux("R", "encode", "-r", "x"), 1, "flux-R: Failed to decode ranks='x' as idset");
        Fails(await Flux("R", "encode", "-r", "0-1", "-H", "n1"), 1, "flux-R: hostname count in 'n1' does not match nranks (2)");
        Fails(await Flux("R", "encode", "-H", "n["), 1, "flux-R: invalid hostlist 'n['");
        Fails(await Flux("R", "encode", "-p", "a|b"), 1, "flux-R: failed to assign properties: invalid character '|' in property \"a|b\"");
        Fails(await Flux("R", "encode", "-p", "a:5"), 1, "flux-R: failed to assign properties: rank 5 not found in target resource list");
        Fails(await Flux("R", "encode", "--local"), 1, "flux-R: --local and --xml need hwloc topology discovery (not supported yet)");
    }

    [Fact]
    public async Task R_DecodeQueriesAndFilters_AsFluxCore()
    {
        var r = (await Flux("R", "encode", "-r", "0-3", "-c", "0-1", "-g", "0", "-H", "n[0-3]", "-p", "gpu:2-3", "-p", "login:0")).Stdout;
        Ok(await FluxIn(r, "R", "decode", "-s", "-n", "-r", "-c", "core"), "rank[0-3]/core[0-1],gpu0\nn[0-3]\n0-3\n8\n");
        Ok(await FluxIn(r, "R", "decode", "--count=gpu"), "4\n");
        Ok(await FluxIn(r, "R", "decode", "--count=node"), "4\n");
        Ok(await FluxIn(r, "R", "decode", "--include=1-2", "--ranks"), "1-2\n");
        Ok(await FluxIn(r, "R", "decode", "--include=n[0,3]", "--nodelist"), "n[0,3]\n");
        Ok(await FluxIn(r, "R", "decode", "--exclude=0,3", "--nodelist"), "n[1-2]\n");
        Ok(await FluxIn(r, "R", "decode", "--properties=gpu", "--ranks"), "2-3\n");
        Ok(await FluxIn(r, "R", "decode", "--properties=^gpu,^login", "--ranks"), "1\n");
        var json = await FluxIn(r, "R", "decode", "-i", "0");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("rank0/core[0-1],gpu0", Rv1.Parse(json.Stdout).ToShortString());
        Assert.Equal(new[] { "login" }, Rv1.Parse(json.Stdout).Properties.Keys);
        Fails(await FluxIn(r, "R", "decode", "-i", "zz9"), 1, "flux-R: invalid hosts: zz9");
    }

    [Fact]
    public async Task R_DecodeSeveralObjects_MergesThem()
    {
        var a = (await Flux("R", "encode", "-r", "0-1", "-c", "0-3", "-H", "n[0-1]")).Stdout;
        var b = (await Flux("R", "encode", "-r", "2", "-c", "0-1", "-H", "n2")).Stdout;
        Ok(await FluxIn(a + b.TrimEnd(), "R", "decode", "-s", "-n"), "rank[0-1]/core[0-3] rank2/core[0-1]\nn[0-2]\n");
    }

    [Fact]
    public async Task R_DecodeBadInput_Fails()
    {
        Fails(await FluxIn("", "R", "decode"), 1, "flux-R: Failed to read an R object: no input on stdin");
        Fails(await FluxIn("{", "R", "decode"), 1, "flux-R: Failed to read an R object: ");
        Fails(await FluxIn("{\"version\":2}", "R", "decode"), 1, "flux-R: Failed to decode R on stdin: R: version: must be 1, not 2");
        Fails(await FluxIn("", "R", "decode", "--count=socket"), 2, "flux-R: --count: unknown resource type 'socket'");
    }

    [Fact]
    public async Task R_SetOperations_OnStdin()
    {
        var four = (await Flux("R", "encode", "-r", "0-3", "-c", "0-3", "-H", "n[0-3]")).Stdout;
        var one = (await Flux("R", "encode", "-r", "1", "-c", "0-3", "-H", "n1")).Stdout;
        var part = (await Flux("R", "encode", "-r", "2", "-c", "0-1", "-H", "n2")).Stdout;
        var diff = await FluxIn(four + one + part, "R", "diff");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Equal("rank[0,3]/core[0-3] rank2/core[2-3]", Rv1.Parse(diff.Stdout).ToShortString());
        var inter = await FluxIn(four + part, "R", "intersect");
        Assert.Equal("rank2/core[0-1]", Rv1.Parse(inter.Stdout).ToShortString());
        Fails(await FluxIn(four, "R", "diff"), 1, "flux-R: diff requires at least 2 resource sets");
        var more = (await Flux("R", "encode", "-r", "4", "-c", "0-3", "-H", "n4")).Stdout;
        var appended = await FluxIn(four + more, "R", "append");
        Assert.Equal("n[0-4]", Rv1.Parse(appended.Stdout).Nodelist.ToString());
        Fails(await FluxIn(four + one, "R", "append"), 1, "flux-R: R objects 'rank[0-3]/core[0-3]' and 'rank1/core[0-3]' overlap");
        var props = await FluxIn(four, "R", "set-property", "gpu:2-3", "login:0");
        Assert.Equal("2-3", Rv1.Parse(props.Stdout).Properties["gpu"].Encode(IdSetFormat.Range));
        var remapped = await FluxIn((await Flux("R", "encode", "-r", "4,7", "-H", "m[4,7]")).Stdout, "R", "remap");
        Ok(await FluxIn(remapped.Stdout, "R", "decode", "-r", "-n"), "m[4,7]\n0-1\n");
        var reranked = await FluxIn(four, "R", "rerank", "n[3,0-2]");
        Ok(await FluxIn(reranked.Stdout, "R", "decode", "-n"), "n[3,0-2]\n");
        Fails(await FluxIn(four, "R", "rerank", "n[0-2]"), 1, "flux-R: Too few hosts specified (expected 4)");
    }

    [Fact]
    public async Task R_Verify_ReportsMissingAndExtra()
    {
        var expected = (await Flux("R", "encode", "-r", "0-1", "-c", "0-3", "-H", "n[0-1]")).Stdout;
        Ok(await FluxIn(expected + (await Flux("R", "encode", "-r", "0", "-c", "0-3", "-H", "n0")).Stdout, "R", "verify"), "");
        Fails(await FluxIn(expected + (await Flux("R", "encode", "-r", "1", "-c", "0-1", "-H", "n1")).Stdout, "R", "verify"), 1,
            "flux-R: rank 1 (n1) missing resources: core[2-3]");
        var extra = await FluxIn(expected + (await Flux("R", "encode", "-r", "1", "-c", "0-5", "-H", "n1")).Stdout, "R", "verify");
        Assert.True(extra.ExitCode == 0, extra.ToString());
        Assert.Contains("flux-R: rank 1 (n1) has extra resources: core[4-5]", extra.Stderr, StringComparison.Ordinal);
        Fails(await FluxIn(expected, "R", "verify"), 1, "flux-R: verify requires exactly 2 R objects on stdin");
    }

    [Fact]
    public async Task R_ParseConfig_ReadsResourceConfigArray()
    {
        File.WriteAllText(Path.Combine(_dir, "resource.toml"), """
            [[resource.config]]
            hosts = "test[1-4]"
            cores = "0-7"

            [[resource.config]]
            hosts = "test[3-4]"
            gpus = "0-1"
            properties = ["gpu"]
            """);
        var r = await Flux("R", "parse-config", _dir);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rv1 = Rv1.Parse(r.Stdout);
        Assert.Equal("rank[0-1]/core[0-7] rank[2-3]/core[0-7],gpu[0-1]", rv1.ToShortString());
        Assert.Equal("test[1-4]", rv1.Nodelist.ToString());
        Assert.Equal("2-3", rv1.Properties["gpu"].Encode(IdSetFormat.Range));
    }

    [Fact]
    public async Task R_ParseConfig_Errors_NameFileAndEntry()
    {
        var file = Path.Combine(_dir, "resource.toml");
        File.WriteAllText(file, "[[resource.config]]\nhosts = \"x[\"\n");
        Fails(await Flux("R", "parse-config", _dir), 1, "flux-R: Config file error: resource.toml: resource.config[0]: invalid hostlist 'x['");
        File.WriteAllText(file, "[[resource.config]]\nhosts = \"x1\"\ncores = 4\n");
        Fails(await Flux("R", "parse-config", _dir), 1, "resource.config[0]: cores: expected a string, got 4");
        File.WriteAllText(file, "[[resource.config]]\nhosts = \"x1\"\nsockets = \"0\"\n");
        Fails(await Flux("R", "parse-config", _dir), 1, "resource.config[0]: unknown key 'sockets'");
        File.WriteAllText(file, "[resource]\nnoverify = true\n");
        Fails(await Flux("R", "parse-config", _dir), 1, "flux-R: Config file error: resource.config or resource.path must be defined");
        File.WriteAllText(file, "[resource\n");
        Fails(await Flux("R", "parse-config", _dir), 1, "flux-R: resource.toml:1:10:");
        Fails(await Flux("R", "parse-config", Path.Combine(_dir, "nope")), 1, "does not exist");
        Fails(await Flux("R", "parse-config"), 2, "flux-R: missing argument");
    }

    [Fact]
    public async Task R_ParseConfig_ResourcePath_ReadsRFile()
    {
        var rfile = Path.Combine(_dir, "R.json");
        File.WriteAllText(rfile, (await Flux("R", "encode", "-r", "0-1", "-c", "0-3", "-H", "a[0-1]")).Stdout);
        File.WriteAllText(Path.Combine(_dir, "resource.toml"), $"[resource]\npath = \"{rfile}\"\n");
        var r = await Flux("R", "parse-config", _dir);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rank[0-1]/core[0-3]", Rv1.Parse(r.Stdout).ToShortString());
    }

    // ---- flux job validate ----

    [Fact]
    public async Task JobValidate_ValidYamlAndJson_PrintNothingExit0()
    {
        Ok(await Flux("job", "validate", Path.Combine(JobspecFixtures, "valid.yaml")), "");
        Ok(await Flux("job", "validate", Path.Combine(JobspecFixtures, "valid.json")), "");
        Ok(await Flux("job", "validate", "--require-version=1", Path.Combine(JobspecFixtures, "valid.yaml"), Path.Combine(JobspecFixtures, "valid.json")), "");
        Ok(await FluxIn(File.ReadAllText(Path.Combine(JobspecFixtures, "valid.yaml")), "job", "validate", "-"), "");
    }

    [Fact]
    public async Task JobValidate_Broken_NamesFileAndRule()
    {
        var broken = Path.Combine(JobspecFixtures, "broken.yaml");
        var r = await Flux("job", "validate", broken);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"flux-job: {broken}: resources[0].with[0]: count must be a positive integer\n", r.Stderr);
        Assert.Equal("", r.Stdout);
        var mixed = await Flux("job", "validate", Path.Combine(JobspecFixtures, "valid.json"), broken, "no-such-file.yaml");
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains($"flux-job: {broken}: resources[0].with[0]", mixed.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-job: no-such-file.yaml: No such file or directory", mixed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("valid.json", mixed.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 1", "version: \"1\"", "version: must be 1")]
    [InlineData("version: 1", "version: !!str 1", "version: must be 1")]
    [InlineData("version: 1", "version: 1.0", "version: must be 1")]
    [InlineData("duration: 600", "duration: \"600\"", "attributes.system.duration: must be a number")]
    [InlineData("duration: 600", "duration: ~", "attributes.system.duration: must be a number")]
    [InlineData("duration: 600", "duration: .inf", "'.inf' is not a number that JSON can hold")]
    [InlineData("count: 2\n    with:\n      - type: slot", "count: true\n    with:\n      - type: slot", "resources[0]: count must be a positive integer")]
    [InlineData("[\"hostname\", \"--fqdn\"]", "[hostname, 12]", "tasks[0].command: must be a non-empty array of strings")]
    [InlineData("version: 1", "version: !foo 1", "unsupported tag '!foo'")]
    public async Task JobValidate_YamlScalars_KeepTheirTypes(string from, string to, string error)
    {
        var text = File.ReadAllText(Path.Combine(JobspecFixtures, "valid.yaml"));
        Assert.Contains(from, text, StringComparison.Ordinal);
        Fails(await FluxIn(text.Replace(from, to, StringComparison.Ordinal), "job", "validate", "-"), 1, $"flux-job: stdin: ");
        Fails(await FluxIn(text.Replace(from, to, StringComparison.Ordinal), "job", "validate", "-"), 1, error);
    }

    [Theory]
    [InlineData("version: 0x1")]
    [InlineData("version: 0o1")]
    [InlineData("version: +1")]
    [InlineData("version: !!int \"1\"")]
    [InlineData("duration: 6e2")]
    public async Task JobValidate_YamlNumberForms_AreNumbers(string replacement)
    {
        var text = File.ReadAllText(Path.Combine(JobspecFixtures, "valid.yaml"));
        var key = replacement.Split(':')[0];
        var line = text.Split('\n').First(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)).Trim();
        Ok(await FluxIn(text.Replace(line, replacement, StringComparison.Ordinal), "job", "validate", "-"), "");
    }

    [Fact]
    public async Task JobValidate_BadSyntax_SaysWhere()
    {
        Fails(await FluxIn("version: 1\nfoo: [\n", "job", "validate", "-"), 1, "flux-job: stdin: invalid YAML at line 3, column 1:");
        Fails(await FluxIn("{\"version\": 1,}", "job", "validate", "-"), 1, "flux-job: stdin: jobspec: invalid JSON at line 1, column 15");
        Fails(await FluxIn("a: 1\na: 2\n", "job", "validate", "-"), 1, "Duplicate key");
        Fails(await FluxIn("a: 1\n---\nb: 2\n", "job", "validate", "-"), 1, "flux-job: stdin: expected one YAML document, found 2");
        Fails(await FluxIn("", "job", "validate", "-"), 1, "flux-job: stdin: empty file: expected a jobspec");
        Fails(await FluxIn("- 1\n", "job", "validate", "-"), 1, "flux-job: stdin: jobspec: must be a JSON object, not an array");
        Fails(await FluxIn("a: &x [*x]\n", "job", "validate", "-"), 1, "nesting is too deep");
        Fails(await Flux("job", "validate", "--require-version=2", "-"), 2, "flux-job: --require-version: expected 1 or any, got '2'");
        Fails(await Flux("job", "validate"), 2, "flux-job: missing argument");
    }

    // ---- help ----

    [Fact]
    public async Task Help_ListsTheCommandsAndTheirOptions()
    {
        var job = await Flux("job", "--help");
        Assert.Contains("  id ", job.Stdout, StringComparison.Ordinal);
        Assert.Contains("  validate ", job.Stdout, StringComparison.Ordinal);
        var r = await Flux("R", "--help");
        foreach (var sub in new[] { "encode", "decode", "parse-config", "verify", "append", "diff", "intersect", "set-property", "remap", "rerank" })
        {
            Assert.Contains($"  {sub} ", r.Stdout, StringComparison.Ordinal);
        }
        var hostlist = await Flux("hostlist", "--help");
        foreach (var opt in new[] { "-e, --expand", "-d, --delimiter=S", "-c, --count", "-n, --nth=[-]IDS", "-L, --limit=N", "-S, --sort", "-u, --union", "-x, --exclude=HOSTS|IDS", "-i, --intersect", "-m, --minus", "-X, --xor", "-f, --fallback", "-q, --quiet" })
        {
            Assert.Contains(opt, hostlist.Stdout, StringComparison.Ordinal);
        }
        var id = await Flux("job", "id", "--help");
        Assert.Contains("-t, --to=ENCODING", id.Stdout, StringComparison.Ordinal);
    }
}
