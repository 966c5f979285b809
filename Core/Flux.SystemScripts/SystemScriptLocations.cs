// Where the system scripts of one kind (prolog, epilog, housekeeping) live, as flux-core's flux-run-system-scripts finds them.
namespace Flux.SystemScripts;

/// <summary>
/// The folders of flux-core's system scripts: the package's <c>LIBEXECDIR/NAME.d</c>, then the
/// site's single script <c>CONFDIR/flux/system/NAME</c> or else its <c>CONFDIR/flux/system/NAME.d</c>.
/// LIBEXECDIR is the installation's <c>libexec</c> folder (beside the flux executables) and CONFDIR
/// is <c>/etc</c>; FLUX_SYSTEM_SCRIPTS_LIBEXECDIR and FLUX_SYSTEM_SCRIPTS_CONFDIR replace them, as
/// they do for flux-core's <c>flux admin system-scripts</c> and its tests.
/// </summary>
public sealed record SystemScriptLocations(string LibexecDir, string ConfDir)
{
    /// <summary>The kinds of system scripts, in the order they run for a job.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["prolog", "epilog", "housekeeping"];

    /// <summary>The folders this process sees: the environment's overrides, else the installation's.</summary>
    public static SystemScriptLocations FromEnvironment() => new(
        Environment.GetEnvironmentVariable("FLUX_SYSTEM_SCRIPTS_LIBEXECDIR") is { Length: > 0 } l ? l : Path.Join(AppContext.BaseDirectory, "libexec"),
        Environment.GetEnvironmentVariable("FLUX_SYSTEM_SCRIPTS_CONFDIR") is { Length: > 0 } c ? c : "/etc");

    /// <summary>The package's scripts of a kind.</summary>
    public string SystemPath(string kind) => Path.Join(LibexecDir, kind + ".d");

    /// <summary>The site's single script of a kind (when it exists and is executable, it replaces <see cref="SitePath"/>).</summary>
    public string LegacyPath(string kind) => Path.Join(ConfDir, "flux", "system", kind);

    /// <summary>The site's scripts of a kind.</summary>
    public string SitePath(string kind) => Path.Join(ConfDir, "flux", "system", kind + ".d");

    /// <summary>What is in those folders for a kind, and so what a run will execute.</summary>
    public SystemScriptListing List(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var legacy = LegacyPath(kind);
        return new SystemScriptListing(
            kind,
            SystemPath(kind),
            Scan(SystemPath(kind)),
            File.Exists(legacy) ? new SystemScript(Path.GetFileName(legacy), legacy, IsExecutable(legacy)) : null,
            SitePath(kind),
            Scan(SitePath(kind)));
    }

    // The regular files of a folder in the order the shell's glob gives them (C collation: ordinal).
    private static List<SystemScript> Scan(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }
        try
        {
            return [.. Directory.EnumerateFiles(dir)
                .Select(p => new SystemScript(Path.GetFileName(p), p, IsExecutable(p)))
                .OrderBy(s => s.Name, StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return [];
        }
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            const UnixFileMode anyExec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(path) & anyExec) != 0;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
