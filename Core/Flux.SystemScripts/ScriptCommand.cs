// What one prolog, epilog or housekeeping run executes: a configured command, or the system scripts of its kind.
namespace Flux.SystemScripts;

/// <summary>
/// A configured <c>command</c> (argv, run as is), or, with none, the system scripts of
/// <paramref name="Kind"/> in <see cref="SystemScriptListing.RunOrder"/> as flux-core's
/// flux-run-system-scripts runs them: the run's exit code is the highest of the scripts', or the
/// first non-zero one with <paramref name="ExitOnFirstError"/>.
/// </summary>
public sealed partial record ScriptCommand(string Kind, IReadOnlyList<string>? Argv, bool ExitOnFirstError, SystemScriptLocations Locations)
{
    /// <summary>The command as one line, for logs and queries: the argv, or "system scripts (KIND)".</summary>
    public override string ToString() => Argv is { } a ? string.Join(' ', a) : $"system scripts ({Kind})";
}
