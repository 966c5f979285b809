// Test jobtap plugin: conf keys say what it does. reject=TEXT rejects at job.validate; throw=TOPIC throws there;
// post=NAME posts an event at job.state.run; hold=1 adds a dependency "held" released by the service jobtap-test.release;
// update=KEY allows job.update.KEY (update-reject=TEXT refuses it). plugin.query returns the topics seen, each topic's
// IN keys, and the job.state.* calls with their prev_state and entry name. Services lookup (IJobtap.Lookup), boom (throws) and later (background work that throws).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace JobtapTestPlugin;

[FluxPlugin("jobtap-test", PluginKind.Jobtap)]
public sealed class TestPlugin(IJobtap jobtap, IFlux flux) : IFluxPlugin
{
    private readonly List<string> _topics = [];
    private readonly JsonObject _inKeys = [];
    private readonly JsonArray _states = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var conf = plugin.Conf;
        var throwAt = conf["throw"]?.GetValue<string>();
        plugin.Handle("conf.update", (_, args) => args.In["conf"]?["test"]?["refuse"] is null || args.Error("refused by test"));
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["topics"] = new JsonArray([.. _topics.Select(t => (JsonNode)t)]);
            args.Out["in"] = _inKeys.DeepClone();
            args.Out["states"] = _states.DeepClone();
            return true;
        });
        plugin.Handle("*", (topic, args) =>
        {
            _topics.Add(topic);
            if (args.Out["chain"] is not JsonArray chain)
            {
                args.Out["chain"] = chain = [];
            }
            chain.Add("jobtap-test");
            _inKeys[topic] = new JsonArray([.. args.In.Select(kv => kv.Key).Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]);
            if (topic.StartsWith("job.state.", StringComparison.Ordinal))
            {
                _states.Add($"{topic} {args.In["prev_state"]} {args.In["entry"]?["name"]}");
            }
            if (topic == "job.update." + conf["update"]?.GetValue<string>())
            {
                return conf["update-reject"]?.GetValue<string>() is { } refusal ? args.Error(refusal) : true;
            }
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
        jobtap.RegisterService("lookup", msg =>
        {
            flux.Respond(msg, jobtap.Lookup(msg.GetJson()["id"]!.GetValue<ulong>()));
            return ValueTask.CompletedTask;
        });
        jobtap.RegisterService("boom", _ => throw new InvalidOperationException("service thrown on purpose"));
        jobtap.RegisterService("later", msg =>
        {
            flux.Background(ThrowLaterAsync(), "test timer", msg);
            return ValueTask.CompletedTask;
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

    private static async Task ThrowLaterAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("background thrown on purpose");
    }
}
