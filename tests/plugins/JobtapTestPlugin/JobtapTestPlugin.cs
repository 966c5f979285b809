// Test jobtap plugin: conf keys say what it does. reject=TEXT rejects at job.validate; throw=TOPIC throws there;
// post=NAME posts an event at job.state.run; hold=1 adds a dependency "held" released by the service jobtap-test.release.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace JobtapTestPlugin;

[FluxPlugin("jobtap-test", PluginKind.Jobtap)]
public sealed class TestPlugin(IJobtap jobtap, IFlux flux) : IFluxPlugin
{
    private readonly List<string> _topics = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var conf = plugin.Conf;
        var throwAt = conf["throw"]?.GetValue<string>();
        plugin.Handle("conf.update", (_, args) => args.In["conf"]?["test"]?["refuse"] is null || args.Error("refused by test"));
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["topics"] = new JsonArray([.. _topics.Select(t => (JsonNode)t)]);
            return true;
        });
        plugin.Handle("*", (topic, args) =>
        {
            _topics.Add(topic);
            if (topic == throwAt)
            {
                throw new InvalidOperationException("thrown on purpose");
            }
            if (topic == "job.validate" && conf["reject"]?.GetValue<string>() is { } text)
            {
                return args.Error(text);
            }
            if (topic == "job.new" && conf["hold"] is not null)
            {
                jobtap.AddDependency(IJobtap.CurrentJob, "held");
                jobtap.SetAux(IJobtap.CurrentJob, "held", true);
            }
            if (topic == "job.state.run" && conf["post"]?.GetValue<string>() is { } name)
            {
                jobtap.PostEvent(IJobtap.CurrentJob, name, new JsonObject { ["by"] = "jobtap-test" });
            }
            return true;
        });
        jobtap.RegisterService("release", msg =>
        {
            var id = msg.GetJson()["id"]!.GetValue<ulong>();
            if (jobtap.GetAux(id, "held") is not true)
            {
                throw new FluxException(Errno.ENOENT, "not held");
            }
            jobtap.SetAux(id, "held", null);
            jobtap.RemoveDependency(id, "held");
            flux.Respond(msg);
            return ValueTask.CompletedTask;
        });
    }
}
