// Writes flux-plugin.json for a built plugin assembly at `dotnet pack` (run by Flux.Plugin.Sdk's targets): its [FluxPlugin] names and kinds, and its contract version.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Plugin.Sdk;

internal static class ManifestWriter
{
    // PluginKind's names by value, as the manifest spells them (Flux.Abstractions' PluginKind).
    private static readonly string[] Kinds = ["Module", "Jobtap", "ShellPlugin", "Connector", "Validator", "Frobnicator"];

    private static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: Flux.Plugin.Sdk ASSEMBLY PACKAGE-ID VERSION OUTPUT");
            return 2;
        }
        var (assembly, id, version, output) = (args[0], args[1], args[2], args[3]);
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var contract = md.AssemblyReferences.Select(md.GetAssemblyReference)
            .Where(r => md.GetString(r.Name) == "Flux.Abstractions").Select(r => r.Version.ToString(3)).FirstOrDefault();
        var plugins = new JsonArray();
        foreach (var td in md.TypeDefinitions.Select(md.GetTypeDefinition))
        {
            foreach (var attr in td.GetCustomAttributes().Select(md.GetCustomAttribute))
            {
                if (attr.Constructor.Kind != HandleKind.MemberReference
                    || md.GetMemberReference((MemberReferenceHandle)attr.Constructor).Parent is not { Kind: HandleKind.TypeReference } parent
                    || md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name) != "FluxPluginAttribute")
                {
                    continue;
                }
                var blob = md.GetBlobReader(attr.Value);
                blob.ReadUInt16();
                var name = blob.ReadSerializedString();
                var kind = blob.ReadInt32();
                plugins.Add(new JsonObject { ["name"] = name, ["kind"] = Kinds[kind], ["assembly"] = Path.GetFileName(assembly) });
            }
        }
        if (contract is null || plugins.Count == 0)
        {
            Console.Error.WriteLine($"{Path.GetFileName(assembly)}: error FLUX001: no type marked [FluxPlugin] in an assembly referencing Flux.Abstractions: not a Flux plugin");
            return 1;
        }
        var manifest = new JsonObject { ["id"] = id, ["version"] = version, ["contract"] = contract, ["plugins"] = plugins };
        File.WriteAllText(output, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return 0;
    }
}
