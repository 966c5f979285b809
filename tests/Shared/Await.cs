// Shared by the test projects: bounded waits whose failure says what was being awaited.
namespace Flux.Tests.Shared;

internal static class Await
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {Limit.TotalSeconds}s waiting for {what}");
        }
    }

    public static async Task Within(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {Limit.TotalSeconds}s waiting for {what}");
        }
    }
}
