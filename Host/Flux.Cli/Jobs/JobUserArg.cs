// The --user argument of flux job raiseall / killall: a name, a uid, or "all" (flux-core's parse_arg_userid).
using System.Globalization;
using Flux.Client.Connectors;

namespace Flux.Cli.Jobs;

internal static class JobUserArg
{
    /// <summary>flux-core's FLUX_USERID_UNKNOWN, meaning every user (instance owner only).</summary>
    public const uint AllUsers = uint.MaxValue;

    /// <summary>The uid a --user value names; the caller's uid when it is null.</summary>
    public static uint Parse(string? user)
    {
        if (user is null)
        {
            return PeerCredentials.CurrentUid;
        }
        if (user == "all")
        {
            return AllUsers;
        }
        if (uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return uid;
        }
        return UserNames.Uid(user) ?? throw new UsageException($"--user: unknown user '{user}' (a name, a uid, or 'all')");
    }
}
