// What the system-script folders of one kind hold, and the scripts a run executes, in order.
namespace Flux.SystemScripts;

/// <summary>
/// The scripts of one kind (flux-run-system-scripts): every executable file of the package folder,
/// then the site's single script if it exists and is executable, or else every executable file of
/// the site's folder. The single script runs last with <c>exec</c> there, so its exit code is the run's.
/// </summary>
public sealed record SystemScriptListing(
    string Kind,
    string SystemPath,
    IReadOnlyList<SystemScript> SystemScripts,
    SystemScript? Legacy,
    string SitePath,
    IReadOnlyList<SystemScript> SiteScripts)
{
    /// <summary>Whether the site's single script runs instead of its folder.</summary>
    public bool UsesLegacy => Legacy is { Executable: true };

    /// <summary>The scripts a run executes, in order.</summary>
    public IReadOnlyList<SystemScript> RunOrder =>
        [.. SystemScripts.Where(s => s.Executable), .. UsesLegacy ? [Legacy!] : SiteScripts.Where(s => s.Executable)];
}
