// The I/O options of flux run/submit: --input, --output, --error, --label-io, --unbuffered, --pty (as flux-core's CLI sets them).
using System.Text.Json.Nodes;

namespace Flux.Cli.Jobs;

internal static class OutputOptions
{
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("input", null, "FILE", "Read the tasks' stdin from FILE (default: forwarded from this terminal by flux run)."),
        new("output", null, "TEMPLATE", "Write stdout to a file; mustache tags like {{id}}, {{taskid}}, {{name}} are expanded."),
        new("error", null, "TEMPLATE", "Write stderr to a file (default: with stdout when --output is given)."),
        new("label-io", 'l', null, "Prefix each output line with its task rank."),
        new("unbuffered", 'u', null, "Do not line-buffer stdout (send output as it is written)."),
        new("pty", null, null, "Run tasks on a pseudo-terminal (interactive programs)."),
    ];

    /// <summary>Turns the I/O options into shell options in the jobspec (flux-shell-options(7)).</summary>
    public static void Apply(ParsedArgs a, JsonObject jobspec)
    {
        var sys = jobspec["attributes"]!["system"]!.AsObject();
        var shell = sys["shell"] as JsonObject ?? [];
        sys["shell"] = shell;
        var opts = shell["options"] as JsonObject ?? [];
        shell["options"] = opts;
        var output = opts["output"] as JsonObject ?? [];
        if (a.Get("output") is { } o)
        {
            output["stdout"] = new JsonObject { ["type"] = "file", ["path"] = o };
            if (a.Get("error") is null)
            {
                output["stderr"] = new JsonObject { ["type"] = "file", ["path"] = o };
            }
        }
        if (a.Get("error") is { } e)
        {
            output["stderr"] = new JsonObject { ["type"] = "file", ["path"] = e };
        }
        if (a.Has("unbuffered"))
        {
            // As flux-core: both streams unbuffered and the output batch timeout cut to 0.05s.
            foreach (var name in (string[])["stdout", "stderr"])
            {
                var stream = output[name] as JsonObject ?? [];
                stream["buffer"] = new JsonObject { ["type"] = "none" };
                output[name] = stream;
            }
            output["batch-timeout"] = 0.05;
        }
        if (a.Has("label-io"))
        {
            // flux-core labels file output through output.STREAM.label; attach labels the eventlog's.
            foreach (var name in (string[])["stdout", "stderr"])
            {
                if (output[name] is JsonObject { } stream && stream["type"]?.GetValue<string>() == "file")
                {
                    stream["label"] = true;
                }
            }
        }
        if (output.Count > 0)
        {
            opts["output"] = output;
        }
        if (a.Get("input") is { } i)
        {
            opts["input"] = new JsonObject { ["stdin"] = new JsonObject { ["type"] = "file", ["path"] = Path.GetFullPath(i) } };
        }
        if (a.Has("pty"))
        {
            opts["pty"] = 1;
        }
    }
}
