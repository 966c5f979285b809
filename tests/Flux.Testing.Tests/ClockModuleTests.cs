// A module's injected TimeProvider and its bound configuration table, through FluxTestInstance.
using Flux.Abstractions;

namespace Flux.Testing.Tests;

public sealed class ClockModuleTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static FluxTestOptions Options(string config)
    {
        var o = new FluxTestOptions { Config = config, Kvs = false, TimeProvider = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_000_000)) };
        o.ModulePath.Add(Repo.Modules);
        return o;
    }

    [Fact]
    public async Task Now_TestClockAndBoundOffset_AnswersTheirSum()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options("[clock]\noffset = \"1h\"\n"));
        await instance.LoadModuleAsync<ClockModule>();
        Assert.Equal(1_003_600, (await instance.Flux.RpcAsync("clock.now"))!["now"]!.GetValue<long>());
    }

    [Fact]
    public async Task Load_UnknownKeyInItsTable_FailsNamingFileTableAndKey()
    {
        await using var instance = await FluxTestInstance.StartAsync(Options("[clock]\nofset = \"1h\"\n"));
        var ex = await Assert.ThrowsAsync<FluxException>(() => instance.LoadModuleAsync<ClockModule>());
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("test.toml: [clock] ofset: unknown key (expected offset), got \"1h\"", ex.Message, StringComparison.Ordinal);
    }
}
