// A validator and a frobnicator as a plugin author writes them, for the tests.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Testing.Tests;

/// <summary>Rejects a job of more than conf <c>max</c> tasks (default 1), with conf <c>message</c> before the count if given.</summary>
[FluxPlugin("max-tasks", PluginKind.Validator)]
public sealed class MaxTasksValidator : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        var max = plugin.Conf["max"] is JsonNode m ? m.GetValue<long>() : 1;
        if (max < 1)
        {
            throw new FluxException(Errno.EINVAL, "max-tasks: max must be at least 1");
        }
        var message = plugin.Conf["message"]?.GetValue<string>() ?? "too many tasks";
        var tags = plugin.Conf["limits"]?["tags"] as JsonArray;
        plugin.Handle("job.validate", (_, args) =>
        {
            var count = args.In["jobspec"]!["tasks"]![0]!["count"]!["per_slot"]?.GetValue<long>() ?? 1;
            var slots = args.In["jobspec"]!["resources"]![0]!["count"]!.GetValue<long>();
            var tasks = count * slots;
            return tasks <= max || args.Error($"{message}: {tasks} > {max}{(tags is null ? "" : " " + tags.ToJsonString())}");
        });
    }
}

/// <summary>Names every job conf <c>name</c> (default "stamped") in attributes.system.job.name.</summary>
[FluxPlugin("namer", PluginKind.Frobnicator)]
public sealed class NamerFrobnicator : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        var name = plugin.Conf["name"]?.GetValue<string>() ?? "stamped";
        plugin.Handle("job.frobnicate", (_, args) =>
        {
            var jobspec = args.In["jobspec"]!.AsObject();
            var attributes = jobspec["attributes"] as JsonObject ?? [];
            jobspec["attributes"] = attributes;
            var system = attributes["system"] as JsonObject ?? [];
            attributes["system"] = system;
            var job = system["job"] as JsonObject ?? [];
            system["job"] = job;
            job["name"] = name;
            return true;
        });
    }
}
