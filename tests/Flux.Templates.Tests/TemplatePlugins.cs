// Once per test class: installs the template package into a private hive, makes one project per plugin kind, builds and packs them in one go, installs each with flux plugin install.
using System.IO.Compression;
using System.Xml.Linq;

namespace Flux.Templates.Tests;

/// <summary>
/// The six plugins made from the templates and installed into a temporary user plugin folder. All
/// dotnet commands run offline: NuGet and the template engine get private folders, the Flux packages
/// come from artifacts/packages (the generated NuGet.config), the rest is copied into the private
/// NuGet cache from this machine's, and an unreachable proxy makes any download fail.
/// </summary>
public sealed class TemplatePlugins : IAsyncLifetime
{
    /// <summary>Each template with its project name and, where given, its --plugin-name.</summary>
    public static readonly IReadOnlyList<(string Template, string Project, string? PluginName)> Kinds =
    [
        ("flux-module", "TplModule", null),
        ("flux-jobtap", "TplJobtap", null),
        ("flux-shell-plugin", "TplEnv", "tpl-shell"),
        ("flux-validator", "TplValidator", null),
        ("flux-frobnicator", "TplDefaults", null),
        ("flux-connector", "TplConnector", null),
    ];

    private readonly string _work = TempDirs.Create("flux-templates-");

    /// <summary>The dotnet CLI's environment: private CLI home, NuGet cache and template hive; offline.</summary>
    public Dictionary<string, string> DotnetEnv { get; } = [];

    /// <summary>The flux user's environment: HOME and XDG_DATA_HOME in the test's folder.</summary>
    public Dictionary<string, string> FluxEnv { get; } = [];

    /// <summary>What flux plugin install printed, by project.</summary>
    public Dictionary<string, string> Installed { get; } = [];

    /// <summary>A generated project's folder.</summary>
    public string Source(string project) => Path.Combine(_work, "src", project);

    public async Task InitializeAsync()
    {
        var packages = Path.Combine(Repo.Root, "artifacts", "packages");
        var templates = Directory.Exists(packages) ? Directory.GetFiles(packages, "Flux.Templates.*.nupkg").SingleOrDefault() : null;
        Assert.True(templates is not null, $"{packages}/Flux.Templates.*.nupkg is missing: run ./build.sh (it packs the templates)");
        var hive = Path.Combine(_work, "hive");
        var src = Path.Combine(_work, "src");
        var env = DotnetEnv;
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(_work, "cli-home"),
            ["NUGET_PACKAGES"] = Path.Combine(_work, "nuget"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "0",
            // Offline: a download through this proxy fails, so restore must find everything locally.
            ["HTTP_PROXY"] = "http://127.0.0.1:9",
            ["HTTPS_PROXY"] = "http://127.0.0.1:9",
            ["http_proxy"] = "http://127.0.0.1:9",
            ["https_proxy"] = "http://127.0.0.1:9",
            ["NO_PROXY"] = "",
            ["no_proxy"] = "",
        })
        {
            env[k] = v;
        }

        await DotnetProcess.RunAsync(_work, env, "new", "install", templates!, "--debug:custom-hive", hive);
        foreach (var (template, project, name) in Kinds)
        {
            string[] args = ["new", template, "-n", project, "-o", Source(project), "--debug:custom-hive", hive];
            await DotnetProcess.RunAsync(_work, env, name is null ? args : [.. args, "--plugin-name", name]);
        }
        // What the generated projects restore: the Flux packages' dependencies and the test projects' packages.
        SeedNuGetCache(packages, Kinds.Select(k => Source(k.Project)), env["NUGET_PACKAGES"]);
        // One restore, build and pack for the six: a solution of them.
        var solution = Path.Combine(src, "plugins.slnx");
        await File.WriteAllTextAsync(solution, "<Solution>\n" + string.Concat(Kinds.Select(k => $"  <Project Path=\"{k.Project}/{k.Project}.csproj\" />\n")) + "</Solution>\n");
        var output = Path.Combine(_work, "out");
        await DotnetProcess.RunAsync(src, env, "pack", solution, "-c", "Release", "-nologo", "-v:q", "--disable-build-servers",
            $"-p:PackageOutputPath={output}", "-p:NuGetAudit=false");

        var home = Path.Combine(_work, "home");
        FluxEnv["HOME"] = home;
        FluxEnv["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
        foreach (var (_, project, _) in Kinds)
        {
            var install = await FluxProcess.RunAsync(["plugin", "install", Path.Combine(output, project + ".1.0.0.nupkg")], env: FluxEnv);
            Assert.True(install.ExitCode == 0, install.ToString());
            Installed[project] = install.Stdout;
        }
    }

    public Task DisposeAsync()
    {
        TempDirs.Remove(_work);
        return Task.CompletedTask;
    }

    // The non-Flux packages the generated projects need (Microsoft.Extensions.* for the contract and
    // Flux.Testing, xunit and the test SDK for the test projects, and what those depend on), from this
    // machine's NuGet cache, where building Flux.NET put them, into the private one.
    private static void SeedNuGetCache(string packages, IEnumerable<string> projects, string cache)
    {
        var from = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var wanted = new List<(string Id, string Version)>();
        foreach (var nupkg in Directory.GetFiles(packages, "Flux.*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var stream = nuspec.Open();
            wanted.AddRange(Dependencies(XDocument.Load(stream)));
        }
        foreach (var csproj in projects.SelectMany(p => Directory.GetFiles(p, "*.csproj", SearchOption.AllDirectories)))
        {
            wanted.AddRange(XDocument.Load(csproj).Descendants("PackageReference")
                .Select(r => (r.Attribute("Include")!.Value, r.Attribute("Version")?.Value ?? ""))
                .Where(r => !r.Item1.StartsWith("Flux.", StringComparison.Ordinal)));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Id, string Version, bool Direct)>(wanted.Select(w => (w.Id, w.Version, true)));
        while (queue.TryDequeue(out var p))
        {
            var id = p.Id.ToLowerInvariant();
            if (id.StartsWith("flux.", StringComparison.Ordinal) || !seen.Add($"{id}/{p.Version}"))
            {
                continue;
            }
            var source = Path.Combine(from, id, p.Version.ToLowerInvariant());
            if (!Directory.Exists(source))
            {
                // A dependency of another target framework's group may be absent; a direct one may not.
                Assert.False(p.Direct, $"{source} is missing: building Flux.NET (./build.sh) restores it");
                continue;
            }
            CopyDirectory(source, Path.Combine(cache, id, p.Version.ToLowerInvariant()));
            foreach (var nuspec in Directory.GetFiles(source, "*.nuspec"))
            {
                foreach (var (depId, depVersion) in Dependencies(XDocument.Load(nuspec)))
                {
                    queue.Enqueue((depId, depVersion, false));
                }
            }
        }
    }

    // A nuspec's dependencies at their lowest version (what restore picks): "[1.2.3, )" and "1.2.3" are 1.2.3.
    private static IEnumerable<(string Id, string Version)> Dependencies(XDocument nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value.Trim('[', '(', ']', ')').Split(',')[0].Trim()));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}
