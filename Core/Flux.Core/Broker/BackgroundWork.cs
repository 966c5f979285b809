// Broker work that nobody awaits (signal handlers, requests answered later): its fault reaches the log.
using Microsoft.Extensions.Logging;

namespace Flux.Core.Broker;

/// <summary>
/// The broker's counterpart of <c>IFlux.Background</c> for code that has no module handle at hand
/// (the module host, signal handlers): a task started and not awaited has its fault logged with what
/// it was doing, instead of being lost as an unobserved exception.
/// </summary>
internal static class BackgroundWork
{
    /// <summary>Runs <paramref name="work"/> on the thread pool and logs its fault.</summary>
    public static void Run(Func<Task> work, ILogger log, string what) => Watch(Task.Run(work), log, what);

    /// <summary>Logs the fault of <paramref name="work"/> when it ends; nothing when it succeeds or is canceled.</summary>
    public static void Watch(Task work, ILogger log, string what)
    {
        if (work.IsCompletedSuccessfully)
        {
            return;
        }
        work.ContinueWith(
            static (t, state) =>
            {
                var (log, what) = ((ILogger, string))state!;
                BrokerLog.BackgroundFailed(log, what, t.Exception!.GetBaseException().ToString());
            },
            (log, what),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
