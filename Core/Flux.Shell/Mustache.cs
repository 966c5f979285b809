// Mustache templates of job output paths ({{id}}, {{jobid}}, {{name}}, {{taskid}}, {{node}}, ...),
// as flux-shell(1) renders them.
using System.Globalization;
using System.Text;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Shell;

internal static class Mustache
{
    /// <summary>
    /// Renders {{tag}} references. Job tags: id (f58), jobid, id.f58, id.dec, id.hex, id.dothex,
    /// id.words, id.kvs, name, size (tasks), nnodes. Task tags (when <paramref name="taskid"/> is
    /// given): taskid, task.id, task.rank, node, node.name, node.id. An unknown tag is an error
    /// naming it.
    /// </summary>
    public static string Render(string template, ulong jobid, string name, int ntasks, int nnodes, int? taskid, string? node, int nodeid = 0)
    {
        ArgumentNullException.ThrowIfNull(template);
        var sb = new StringBuilder();
        var pos = 0;
        while (pos < template.Length)
        {
            var open = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(template, pos, template.Length - pos);
                break;
            }
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FluxException(Errno.EINVAL, $"template '{template}': unterminated '{{{{'");
            }
            sb.Append(template, pos, open - pos);
            var tag = template[(open + 2)..close].Trim();
            sb.Append(Tag(tag, template, jobid, name, ntasks, nnodes, taskid, node, nodeid));
            pos = close + 2;
        }
        return sb.ToString();
    }

    /// <summary>Whether a template mentions per-task tags (one file per task then).</summary>
    public static bool IsPerTask(string template) =>
        template.Contains("{{taskid}}", StringComparison.Ordinal) || template.Contains("{{task.", StringComparison.Ordinal)
        || template.Contains("{{node", StringComparison.Ordinal);

    private static string Tag(string tag, string template, ulong jobid, string name, int ntasks, int nnodes, int? taskid, string? node, int nodeid)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (tag)
        {
            case "id":
            case "jobid":
            case "id.f58":
                return Fluid.Encode(jobid, Fluid.UseAsciiF58 ? FluidEncoding.F58Plain : FluidEncoding.F58);
            case "id.f58plain":
                return Fluid.Encode(jobid, FluidEncoding.F58Plain);
            case "id.dec":
                return jobid.ToString(inv);
            case "id.hex":
                return Fluid.Encode(jobid, FluidEncoding.Hex);
            case "id.dothex":
                return Fluid.Encode(jobid, FluidEncoding.Dothex);
            case "id.kvs":
                return Fluid.Encode(jobid, FluidEncoding.Kvs);
            case "id.words":
                return Fluid.Encode(jobid, FluidEncoding.Words);
            case "id.emoji":
                return Fluid.Encode(jobid, FluidEncoding.Emoji);
            case "name":
                return name;
            case "size":
                return ntasks.ToString(inv);
            case "nnodes":
                return nnodes.ToString(inv);
        }
        if (taskid is int t)
        {
            switch (tag)
            {
                case "taskid":
                case "task.id":
                case "task.rank":
                    return t.ToString(inv);
                case "node":
                case "node.name":
                    return node ?? string.Empty;
                case "node.id":
                    return nodeid.ToString(inv);
            }
        }
        throw new FluxException(Errno.EINVAL, $"template '{template}': unknown tag '{{{{{tag}}}}}'");
    }
}
