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

    /// <summary>The flux user's environment: HOME and XDG_DATA_HOME in the test's folder.</summary>
    public Dictionary<string, string> FluxEnv { get; } = [];

    /// <summary>What flux plugin install printed, by project.</summary>
    public Dictionary<string, string> Installed { get; } = [];

    /// <summary>A generated project's folder.</summary>
    public string Source(string project) => Path.Combine(_work, "src", project);

    /// <summary>Where flux plugin install put a project's package (user root, version 1.0.0).</summary>
    public string InstalledFolder(string project) => Path.Combine(FluxEnv["XDG_DATA_HOME"], "flux", "plugins", project, "1.0.0");

    public async Task InitializeAsync()
    {
        var packages = Path.Combine(Repo.Root, "artifacts", "packages");
        var templates = Directory.Exists(packages) ? Directory.GetFiles(packages, "Flux.Templates.*.nupkg").SingleOrDefault() : null;
        Assert.True(templates is not null, $"{packages}/Flux.Templates.*.nupkg is missing: run ./build.sh (it packs the templates)");
        var hive = Path.Combine(_work, "hive");
        var src = Path.Combine(_work, "src");
        var env = new Dictionary<string, string>
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
        };
        SeedNuGetCache(packages, env["NUGET_PACKAGES"]);

        await DotnetProcess.RunAsync(_work, env, "new", "install", templates!, "--debug:custom-hive", hive);
        foreach (var (template, project, name) in Kinds)
        {
            string[] args = ["new", template, "-n", project, "-o", Source(project), "--debug:custom-hive", hive];
            await DotnetProcess.RunAsync(_work, env, name is null ? args : [.. args, "--plugin-name", name]);
        }
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

    // The non-Flux packages the contract depends on (Microsoft.Extensions.*.Abstractions), from this
    // machine's NuGet cache, where building Flux.NET put them, into the private one.
    private static void SeedNuGetCache(string packages, string cache)
    {
        var from = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var nupkg in Directory.GetFiles(packages, "Flux.*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var stream = nuspec.Open();
            foreach (var dep in XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency"))
            {
                var id = dep.Attribute("id")!.Value.ToLowerInvariant();
                var version = dep.Attribute("version")!.Value;
                if (id.StartsWith("flux.", StringComparison.Ordinal))
                {
                    continue;
                }
                var source = Path.Combine(from, id, version);
                Assert.True(Directory.Exists(source), $"{source} is missing: building Flux.NET (./build.sh) restores it");
                CopyDirectory(source, Path.Combine(cache, id, version));
            }
        }
    }

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
