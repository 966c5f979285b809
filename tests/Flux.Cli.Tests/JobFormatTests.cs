// The flux jobs formatter against flux-core's documented output: headers, columns, fields, conversions, JSON.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Tests;

public sealed class JobFormatTests
{
    private const double Now = 1000.0;
    private const ulong PendingId = 1001, RunningId = 1002, DoneId = 1003, CanceledId = 1004, FailedId = 1005;

    private static string Name(uint uid) => uid == 1000 ? "alice" : uid.ToString(CultureInfo.InvariantCulture);

    private static JobRecord Job(JsonObject o) => new(o, Name, Now);

    private static JsonObject Pending() => new()
    {
        ["id"] = PendingId, ["userid"] = 1000, ["urgency"] = 16, ["priority"] = 16, ["state"] = 8, ["name"] = "sleep",
        ["ntasks"] = 4, ["ncores"] = 4, ["duration"] = 300.0, ["t_submit"] = 900.0, ["t_depend"] = 900.1, ["cwd"] = "/tmp",
    };

    private static JsonObject Running() => new()
    {
        ["id"] = RunningId, ["userid"] = 1000, ["urgency"] = 16, ["priority"] = 16, ["state"] = 16, ["name"] = "a_long_job_name",
        ["ntasks"] = 2, ["nnodes"] = 2, ["ranks"] = "[0-1]", ["nodelist"] = "node[0-1]", ["duration"] = 0.0,
        ["t_submit"] = 800.0, ["t_depend"] = 800.1, ["t_run"] = 910.0, ["expiration"] = 1060.0,
    };

    private static JsonObject Done(int result, int? waitstatus, string? excType = null, string? excNote = null, ulong id = DoneId)
    {
        var o = new JsonObject
        {
            ["id"] = id, ["userid"] = 1000, ["urgency"] = 16, ["priority"] = 16, ["state"] = 64, ["name"] = "hostname",
            ["ntasks"] = 1, ["nnodes"] = 1, ["ranks"] = "0", ["nodelist"] = "node0", ["duration"] = 0.0,
            ["t_submit"] = 700.0, ["t_depend"] = 700.1, ["t_run"] = 701.0, ["t_cleanup"] = 702.5, ["t_inactive"] = 703.0,
            ["result"] = result, ["success"] = result == 1, ["exception_occurred"] = excType is not null,
        };
        if (waitstatus is { } w)
        {
            o["waitstatus"] = w;
        }
        if (excType is not null)
        {
            o["exception_type"] = excType;
            o["exception_severity"] = 0;
            o["exception_note"] = excNote ?? "";
        }
        return o;
    }

    private static JsonObject CanceledPending() => new()
    {
        ["id"] = CanceledId, ["userid"] = 1000, ["urgency"] = 16, ["priority"] = 16, ["state"] = 64, ["name"] = "canceledjob",
        ["ntasks"] = 1, ["duration"] = 0.0, ["t_submit"] = 600.0, ["t_depend"] = 600.1, ["t_cleanup"] = 601.0, ["t_inactive"] = 601.5,
        ["result"] = 4, ["success"] = false, ["exception_occurred"] = true, ["exception_type"] = "cancel",
        ["exception_severity"] = 0, ["exception_note"] = "mecanceled",
    };

    private static string F58(ulong id) => Fluid.Encode(id, FluidEncoding.F58);

    private static string Format(string fmt, JsonObject job) => new JobFormat(fmt).Format(Job(job));

    [Fact]
    public void DefaultFormat_PrintsFluxCoreColumns()
    {
        var jobs = new[] { Pending(), Running(), Done(1, 0), CanceledPending() }.Select(Job).ToList();
        var fmt = new JobFormat(JobFormat.Resolve("default")!).Prepare(jobs);
        Assert.Equal("       JOBID USER     NAME       ST NTASKS NNODES     TIME INFO", fmt.Header());
        var lines = jobs.Select(fmt.Format).ToList();
        Assert.Equal($"{F58(PendingId),12} alice    sleep       S      4      -       5m ", lines[0]);
        Assert.Equal($"{F58(RunningId),12} alice    a_long_jo+  R      2      2     1.5m node[0-1]", lines[1]);
        Assert.Equal($"{F58(DoneId),12} alice    hostname   CD      1      1   1.500s node0", lines[2]);
        Assert.Equal($"{F58(CanceledId),12} alice    canceledj+ CA      1      -        - ", lines[3]);
    }

    [Fact]
    public void QueueColumn_AppearsOnlyWhenSomeJobHasAQueue()
    {
        var queued = Pending();
        queued["queue"] = "batch";
        var fmt = new JobFormat(JobFormat.Resolve("default")!);
        Assert.Equal("       JOBID QUEUE    USER     NAME       ST NTASKS NNODES     TIME INFO", fmt.Prepare([Job(queued), Job(Running())]).Header());
        Assert.StartsWith($"{F58(RunningId),12}          alice", fmt.Prepare([Job(queued), Job(Running())]).Format(Job(Running())), StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_MatchFluxJobsOutput()
    {
        Assert.Equal($"{F58(PendingId)},{PendingId},job.0000.0000.0000.03e9,0x3e9", Format("{id},{id.dec},{id.kvs},{id.hex}", Pending()));
        Assert.Equal("1000,alice,16,16", Format("{userid},{username},{urgency},{priority}", Pending()));
        Assert.Equal("SCHED,S,SCHED,S,,,", Format("{state},{state_single},{status},{status_abbrev},{result},{result_abbrev},{success}", Pending()));
        Assert.Equal("INACTIVE,I,COMPLETED,CD,COMPLETED,CD,True", Format("{state},{state_single},{status},{status_abbrev},{result},{result_abbrev},{success}", Done(1, 0)));
        Assert.Equal("300.0,300.0,5m,0:05:00,5m,0:05:00", Format("{duration},{duration:h},{duration!F},{duration!H},{duration!F:h},{duration!H:h}", Pending()));
        Assert.Equal("0.0,-,0s,0:00:00,-,-", Format("{duration},{duration:h},{duration!F},{duration!H},{duration!F:h},{duration!H:h}", Done(1, 0)));
        Assert.Equal(",-,,-", Format("{nnodes},{nnodes:h},{nodelist},{ranks:h}", Pending()));
        Assert.Equal("900.0,0.0,-,0.000", Format("{t_submit},{t_run},{t_run:h},{runtime:0.3f}", Pending()));
        Assert.Equal("1.5,1.500s,0:00:02", Format("{runtime},{runtime!F},{runtime!H}", Done(1, 0)));
        Assert.Equal("90.0,1.5m,60.0,1m", Format("{runtime},{runtime!F},{t_remaining},{t_remaining!F}", Running()));
        Assert.Equal(",-,,-,,-,,-", Format("{exception.occurred},{exception.occurred:h},{exception.severity},{exception.severity:h},{exception.type},{exception.type:h},{exception.note},{exception.note:h}", Pending()));
        Assert.Equal("True,0,cancel,mecanceled", Format("{exception.occurred},{exception.severity},{exception.type},{exception.note}", CanceledPending()));
        Assert.Equal("   4|sleep     |  sleep   |00042", Format("{ntasks:>4}|{name:<10}|{name:^10}|{ncores:05d}", With(Pending(), "ncores", 42)));
    }

    private static JsonObject With(JsonObject o, string key, JsonNode value)
    {
        o[key] = value;
        return o;
    }

    [Theory]
    [InlineData(1, 0, null, null, "0,0,Exit 0")]
    [InlineData(2, 32512, "exec", "No such file or directory", "32512,127,command not found")]
    [InlineData(2, 36608, null, null, "36608,143,Terminated")]
    [InlineData(2, 36608, "myexception", "myexception", "36608,143,Exception: type=myexception note=myexception")]
    [InlineData(8, 36352, "timeout", "resource allocation expired", "36352,142,Timeout")]
    [InlineData(2, 256, null, null, "256,1,Exit 1")]
    [InlineData(2, 9, null, null, "9,-9,Exit -9")]
    public void ReturnCodeAndInactiveReason_FollowFluxCore(int result, int waitstatus, string? type, string? note, string expected)
    {
        Assert.Equal(expected, Format("{waitstatus},{returncode},{inactive_reason}", Done(result, waitstatus, type, note)));
    }

    [Fact]
    public void CanceledBeforeRunning_HasReturnCodeMinus128()
    {
        Assert.Equal("-,-128,Canceled: mecanceled", Format("{waitstatus:h},{returncode:h},{inactive_reason}", CanceledPending()));
        Assert.Equal("-,-,-", Format("{waitstatus:h},{returncode:h},{inactive_reason:h}", Pending()));
    }

    [Fact]
    public void ContextualInfo_ExplainsWhyAJobWaits()
    {
        var held = Pending();
        held["urgency"] = 0;
        held["priority"] = 0;
        Assert.Equal("held", Format("{contextual_info}", held));
        var priorityHold = Pending();
        priorityHold["priority"] = 0;
        Assert.Equal("priority-hold", Format("{contextual_info}", priorityHold));
        var estimate = With(Pending(), "annotations", new JsonObject { ["sched"] = new JsonObject { ["t_estimate"] = Now + 90 } });
        Assert.Equal("eta:1.5m", Format("{contextual_info}", estimate));
        var depend = With(With(Pending(), "state", 2), "dependencies", new JsonArray("afterok:ƒ2", "singleton"));
        Assert.Equal("depends:afterok:ƒ2,singleton", Format("{contextual_info}", depend));
        Assert.Equal("priority-wait", Format("{contextual_info}", With(Pending(), "state", 4)));
        Assert.Equal("5m|1.5m", Format("{contextual_time!F}", Pending()) + "|" + Format("{contextual_time!F}", Running()));
    }

    [Fact]
    public void Annotations_AndShortHands_PrintLikePython()
    {
        var job = With(Pending(), "annotations", new JsonObject
        {
            ["sched"] = new JsonObject { ["reason_pending"] = "insufficient resources", ["jobs_ahead"] = 3 },
            ["user"] = new JsonObject { ["foo"] = 42 },
        });
        Assert.Equal("insufficient resources|3|42|{\"foo\": 42}", Format("{sched.reason_pending}|{annotations.sched.jobs_ahead}|{user.foo}|{user}", job));
        Assert.Equal(",-,,-,,-", Format("{annotations.foo},{annotations.foo:h},{annotations.sched.bar},{annotations.sched.bar:h},{annotations.x.y.z},{annotations.x.y.z:h}", Pending()));
        Assert.Equal(",,,,,-,-,-,-", Format("{sched.t_estimate},{sched.t_estimate!d:%H:%M},{sched.t_estimate!D},{sched.t_estimate!F},{sched.t_estimate!H},{sched.t_estimate!d:%H:%M::h},{sched.t_estimate!D:h},{sched.t_estimate!F:h},{sched.t_estimate!H:h}", Pending()));
    }

    [Fact]
    public void Headers_ComeFromFieldNames_WithAlignmentAndWidthOnly()
    {
        var pairs = new Dictionary<string, string>
        {
            ["id"] = "JOBID", ["id.words"] = "JOBID", ["userid"] = "UID", ["username"] = "USER", ["urgency"] = "URG",
            ["priority"] = "PRI", ["state_single"] = "S", ["contextual_info"] = "INFO", ["contextual_time"] = "TIME",
            ["inactive_reason"] = "INACTIVE-REASON", ["result_abbrev"] = "RS", ["runtime!F"] = "RUNTIME",
            ["expiration!d:%FT%T"] = "EXPIRATION", ["status_abbrev"] = "ST", ["annotations.sched.foobar"] = "SCHED.FOOBAR",
            ["sched.reason_pending"] = "REASON", ["user.foobar"] = "USER.FOOBAR", ["waitstatus"] = "WSTATUS", ["returncode"] = "RC",
        };
        foreach (var (field, heading) in pairs)
        {
            Assert.Equal(heading, new JobFormat("{" + field + "}").Header());
        }
        Assert.Equal("EXPIRATION          ", new JobFormat("{expiration!d:%b%d %R::<20.20}").Header());
        Assert.Equal("     EXPIRATION     ", new JobFormat("{expiration!d:%b%d %R::=^20}").Header());
    }

    [Fact]
    public void Collapsible_Expandable_AndTruncationMarkers()
    {
        var jobs = new[] { Job(Done(1, 0)), Job(CanceledPending()) };
        var collapse = new JobFormat("{id.f58:<12} ?:{exception.type:>8}");
        Assert.Contains("EXCEPTION-TYPE", collapse.Prepare(jobs).Header(), StringComparison.Ordinal);
        Assert.DoesNotContain("EXCEPTION-TYPE", collapse.Prepare([jobs[0]]).Header(), StringComparison.Ordinal);
        var expand = new JobFormat("+:{name:>1}").Prepare(jobs);
        Assert.Equal("       NAME", expand.Header());
        Assert.Equal("   hostname", expand.Format(jobs[0]));
        Assert.Equal("canceledjob", expand.Format(jobs[1]));
        Assert.Equal("         hostname", new JobFormat("+:{name:>17}").Prepare(jobs).Format(jobs[0]));
        Assert.Equal("cance+", Format("{name:<6.6+}", CanceledPending()));
        Assert.Equal("canceledjob ", Format("{name:<12.12+}", CanceledPending()));
    }

    [Fact]
    public void BadFormats_AreReportedAsFluxCoreReportsThem()
    {
        Assert.Equal("Unknown format field: footime", Assert.Throws<FormatException>(() => new JobFormat("{footime}")).Message);
        Assert.Equal("expected '}' before end of string", Assert.Throws<FormatException>(() => new JobFormat("{runtime")).Message);
        Assert.Contains("Invalid format specifier", Assert.Throws<FormatException>(() => Format("{runtime:garbage}", Pending())).Message, StringComparison.Ordinal);
        Assert.Null(JobFormat.Resolve("nosuchformat"));
        Assert.Equal(["default", "long", "deps", "endreason"], JobFormat.Presets.Select(p => p.Name));
    }

    [Fact]
    public void LongAndDepsPresets_Format()
    {
        var deps = new JobFormat(JobFormat.Resolve("deps")!).Prepare([Job(Pending())]);
        Assert.Equal("       JOBID NAME       URG PRI          STATE    DEPENDENCIES", deps.Header());
        Assert.Equal($"{F58(PendingId),12} sleep      16  16           SCHED    ", deps.Format(Job(Pending())));
        var longFmt = new JobFormat(JobFormat.Resolve("long")!).Prepare([Job(Running())]);
        Assert.Equal("       JOBID USER     NAME          STATUS NTASKS NNODES     T_SUBMIT  T_REMAINING     TIME INFO", longFmt.Header());
        var submit = PyTime.Strftime(PyTime.Local(800), "%b%d %R");
        Assert.Equal($"{F58(RunningId),12} alice    a_long_jo+       RUN      2      2 {submit,12}           1m     1.5m node[0-1]", longFmt.Format(Job(Running())));
    }

    [Fact]
    public void Json_IsFluxCoreToDict()
    {
        var done = JobJson.ToDict(Job(Done(1, 0)));
        Assert.Equal(
            "{\"t_depend\": 700.1, \"t_run\": 701.0, \"t_cleanup\": 702.5, \"t_inactive\": 703.0, \"duration\": 0.0, \"name\": \"hostname\", \"ntasks\": 1, \"nnodes\": 1, \"priority\": 16, \"ranks\": \"0\", \"nodelist\": \"node0\", \"success\": true, \"result\": \"COMPLETED\", \"waitstatus\": 0, \"id\": 1003, \"t_submit\": 700.0, \"state\": \"INACTIVE\", \"username\": \"alice\", \"userid\": 1000, \"urgency\": 16, \"runtime\": 1.5, \"status\": \"COMPLETED\", \"returncode\": 0, \"dependencies\": [], \"annotations\": {}, \"exception\": {\"occurred\": false}}",
            PyFormat.PyJson(done));
        var canceled = JobJson.ToDict(Job(CanceledPending()));
        Assert.Equal("{\"occurred\": true, \"severity\": 0, \"type\": \"cancel\", \"note\": \"mecanceled\"}", PyFormat.PyJson(canceled["exception"]));
        Assert.Equal(-128, canceled["returncode"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(300.0, "300.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e-5, "1.5e-05")]
    [InlineData(1700000000.123456, "1700000000.123456")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0001, "0.0001")]
    public void Repr_IsPythons(double value, string expected) => Assert.Equal(expected, PyFormat.Repr(value));

    [Theory]
    [InlineData("abc", ">5", "  abc")]
    [InlineData("abc", "^7", "  abc  ")]
    [InlineData("abcdef", ".3", "abc")]
    [InlineData("x", "*<3", "x**")]
    [InlineData(42L, "05d", "00042")]
    [InlineData(-42L, "=+6", "-   42")]
    [InlineData(1234567L, ",", "1,234,567")]
    [InlineData(255L, "#x", "0xff")]
    [InlineData(3.14159, ".2f", "3.14")]
    [InlineData(0.5, "%", "50.000000%")]
    [InlineData(1234.5, ".3g", "1.23e+03")]
    [InlineData(1234.5, "g", "1234.5")]
    [InlineData(12.0, "8.3e", "1.200e+01")]
    [InlineData(true, "", "True")]
    public void FormatValue_IsPythonsFormat(object value, string spec, string expected) => Assert.Equal(expected, PyFormat.FormatValue(value, spec));

    [Theory]
    [InlineData(0.0005, "0s")]
    [InlineData(1.5, "1.500s")]
    [InlineData(12.3456, "12.35s")]
    [InlineData(90.0, "1.5m")]
    [InlineData(7200.0, "2h")]
    [InlineData(129600.0, "1.5d")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Fsd_IsFluxUtilFsd(double seconds, string expected) => Assert.Equal(expected, PyTime.Fsd(seconds));

    [Theory]
    [InlineData(300L, "0:05:00")]
    [InlineData(90061L, "1 day, 1:01:01")]
    [InlineData(172800L, "2 days, 0:00:00")]
    public void TimeDelta_IsPythons(long seconds, string expected) => Assert.Equal(expected, PyTime.TimeDelta(seconds));

    [Fact]
    public void EventlogFormatter_TextJsonOffsetAndHuman()
    {
        var submit = new EventlogEntry(1700000000.25, "submit", new JsonObject { ["urgency"] = 16, ["userid"] = 1000, ["flags"] = 0, ["version"] = 1 }).ToLine();
        var exception = new EventlogEntry(1700000001.75, "exception", new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }).ToLine();
        var text = new EventlogFormatter("text", "raw", color: false);
        Assert.Equal("1700000000.250000 submit urgency=16 userid=1000 flags=0 version=1", text.Format(submit));
        Assert.Equal("1700000001.750000 exception type=\"cancel\" severity=0 note=\"\"", text.Format(exception));
        Assert.Equal(submit.TrimEnd('\n'), new EventlogFormatter("json", "raw", false).Format(submit));
        var offset = new EventlogFormatter("text", "offset", false);
        Assert.StartsWith("0.000000 submit", offset.Format(submit), StringComparison.Ordinal);
        Assert.StartsWith("1.500000 exception", offset.Format(exception), StringComparison.Ordinal);
        var human = new EventlogFormatter("text", "human", false);
        var t = PyTime.Local(1700000000.25);
        Assert.Equal($"[{PyTime.Strftime(t, "%b%d %H:%M")}] submit urgency=16 userid=1000 flags=0 version=1", human.Format(submit));
        var sameMinute = t.Second < 58;
        Assert.StartsWith(sameMinute ? "[  +1.500000] exception" : "[", human.Format(exception), StringComparison.Ordinal);
        var colored = new EventlogFormatter("text", "raw", color: true).Format(exception);
        Assert.Contains("\u001b[1m\u001b[31mexception\u001b[0m", colored, StringComparison.Ordinal);
    }
}
