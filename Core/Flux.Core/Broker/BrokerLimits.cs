// The broker's limits and timeouts: broker.* attributes set with -S at start-up, checked once.
using System.Globalization;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Core.Broker;

/// <summary>
/// Limits that keep one client or one module from taking the broker down, named as flux-core names
/// its broker tunables (<c>broker.*</c> attributes given with <c>-S</c>, immutable once the broker
/// runs; see docs/broker.md). A value that does not parse is refused at start-up, as is any other
/// <c>broker.*</c> name on the command line.
/// </summary>
public sealed class BrokerLimits
{
    /// <summary>Client connections accepted at once; the next one is refused with EAGAIN.</summary>
    public const string MaxClientsName = "broker.max-clients";

    /// <summary>Bytes that may wait for a client to read them before it is disconnected.</summary>
    public const string ClientQueueLimitName = "broker.client-queue-limit";

    /// <summary>How long a module's load, or its check or application of a configuration, may take (FSD).</summary>
    public const string ModuleTimeoutName = "broker.module-timeout";

    /// <summary>How long shutdown may take: the initial program's exit after SIGHUP, then the modules' removal (FSD).</summary>
    public const string ShutdownGraceName = "broker.shutdown-grace";

    /// <summary>The default client cap when the descriptor limit allows more (each client costs a descriptor and a 64 KiB read buffer).</summary>
    public const int DefaultMaxClients = 16384;

    /// <summary>The <c>broker.*</c> attributes a command line may set.</summary>
    public static readonly IReadOnlyList<string> Names = [MaxClientsName, ClientQueueLimitName, ModuleTimeoutName, ShutdownGraceName];

    // Timers take at most uint.MaxValue - 1 milliseconds (about 49.7 days); "inf" means no timeout.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(49);

    /// <summary>Creates the defaults for a process whose descriptor limit is <paramref name="descriptorLimit"/>.</summary>
    public BrokerLimits(long descriptorLimit)
    {
        // A quarter of the descriptors stay for modules, the content store and jobs' pipes.
        MaxClients = (int)Math.Clamp(descriptorLimit * 3 / 4, 16, DefaultMaxClients);
    }

    /// <summary>Client connections accepted at once.</summary>
    public int MaxClients { get; private set; }

    /// <summary>Bytes that may wait for one client before it is disconnected (32 MiB by default).</summary>
    public long ClientQueueLimit { get; private set; } = 32L << 20;

    /// <summary>The module load and configuration timeout (60 s by default; infinite with <c>inf</c>).</summary>
    public TimeSpan ModuleTimeout { get; private set; } = TimeSpan.FromSeconds(60);

    /// <summary>The shutdown grace (30 s by default).</summary>
    public TimeSpan ShutdownGrace { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether <paramref name="name"/> is one of these attributes.</summary>
    public static bool IsLimit(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Sets one attribute from its command-line value; EINVAL naming it when the value is wrong.</summary>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        switch (name)
        {
            case MaxClientsName:
                MaxClients = (int)Integer(name, value, 1, int.MaxValue);
                break;
            case ClientQueueLimitName:
                ClientQueueLimit = Integer(name, value, 64 * 1024, long.MaxValue);
                break;
            case ModuleTimeoutName:
                ModuleTimeout = Duration(name, value);
                break;
            case ShutdownGraceName:
                ShutdownGrace = Duration(name, value);
                break;
            default:
                throw new FluxException(Errno.EINVAL, $"unknown broker attribute '{name}' (the command line may set {string.Join(", ", Names)})");
        }
    }

    /// <summary>The current values as attribute strings.</summary>
    public IEnumerable<KeyValuePair<string, string>> Values()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return new(MaxClientsName, MaxClients.ToString(inv));
        yield return new(ClientQueueLimitName, ClientQueueLimit.ToString(inv));
        yield return new(ModuleTimeoutName, Format(ModuleTimeout));
        yield return new(ShutdownGraceName, Format(ShutdownGrace));
    }

    private static string Format(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? "inf" : Fsd.Format(t);

    private static long Integer(string name, string value, long min, long max) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FluxException(Errno.EINVAL, $"{name}: expected an integer from {min} to {max}, got '{value}'");

    private static TimeSpan Duration(string name, string value)
    {
        if (!Fsd.TryParse(value, out var seconds) || seconds <= 0)
        {
            throw new FluxException(Errno.EINVAL, $"{name}: expected a duration greater than 0 like \"30s\" or \"2m\", or \"inf\", got '{value}'");
        }
        if (double.IsPositiveInfinity(seconds))
        {
            return Timeout.InfiniteTimeSpan;
        }
        return seconds < MaxTimeout.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new FluxException(Errno.EINVAL, $"{name}: at most {Fsd.Format(MaxTimeout)} (or \"inf\"), got '{value}'");
    }
}
