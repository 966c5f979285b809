// A fact that needs root (to run a command as another user); reported as skipped otherwise.
namespace Flux.EndToEnd.Tests;

internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root to run a client as another uid (setpriv)";
        }
    }
}
