// A module as a plugin author writes one, for the tests: counts calls, keeps the count in the KVS across reloads.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;

namespace Flux.Testing.Tests;

[FluxPlugin("counter", PluginKind.Module)]
public sealed class CounterModule(IFlux flux, ModuleArgs args) : IFluxModule
{
    private long _count;

    public async ValueTask LoadAsync(CancellationToken cancellationToken)
    {
        if (args.Get("fail") is { } why)
        {
            throw new FluxException(Errno.EINVAL, why);
        }
        var key = $"{flux.Name}.value";
        _count = await flux.KvsGetStringAsync(key, cancellationToken: cancellationToken) is { } saved
            ? long.Parse(saved, CultureInfo.InvariantCulture)
            : long.Parse(args.Get("start") ?? "0", CultureInfo.InvariantCulture);
        flux.RegisterHandler(MessageType.Request, $"{flux.Name}.next", async request =>
        {
            _count++;
            await flux.KvsCommitAsync(new KvsTxn().Put(key, _count.ToString(CultureInfo.InvariantCulture)));
            flux.Respond(request, new JsonObject { ["count"] = _count });
        });
    }

    public ValueTask UnloadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
