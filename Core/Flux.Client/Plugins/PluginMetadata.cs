// Describes a plugin assembly: its [FluxPlugin] entries and contract versions, read without loading it or from it once loaded.
using System.Runtime.CompilerServices;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Flux.Abstractions;

namespace Flux.Client.Plugins;

/// <summary>One plugin entry type found in an assembly.</summary>
/// <param name="TypeName">Full name of the entry type.</param>
/// <param name="Name">The plugin's name from its attribute.</param>
/// <param name="Kind">The plugin's kind.</param>
/// <param name="Description">Its attribute's one-line description, or null.</param>
public sealed record PluginEntry(string TypeName, string Name, PluginKind Kind, string? Description = null);

/// <summary>What an assembly declares: its plugin entries and the contract version it was built against.</summary>
/// <param name="Path">The assembly path.</param>
/// <param name="Entries">Types marked with <see cref="FluxPluginAttribute"/>.</param>
/// <param name="ContractVersion">The referenced Flux.Abstractions version, or null if it references none.</param>
/// <param name="IsReadyToRun">Whether the assembly carries ReadyToRun (precompiled) code.</param>
/// <param name="FormatsVersion">The referenced Flux.Formats version, or null if it references none.</param>
public sealed record PluginMetadata(string Path, IReadOnlyList<PluginEntry> Entries, Version? ContractVersion, bool IsReadyToRun = false, Version? FormatsVersion = null)
{
    // What each file declared, by path and the file's size and time of last change: job shells look
    // the shell plugin path up for every job, and reading an assembly's metadata each time would cost
    // more than the rest of the lookup.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime Changed, PluginMetadata? Metadata)> Cache = new(StringComparer.Ordinal);

    /// <summary>Reads an assembly's metadata (again only once the file has changed). Returns null when the file is not a .NET assembly.</summary>
    public static PluginMetadata? Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // Not cached: the caller gets what reading a missing file gives.
            return ReadFile(path);
        }
        var (length, changed) = (info.Length, info.LastWriteTimeUtc);
        if (Cache.TryGetValue(path, out var hit) && hit.Length == length && hit.Changed == changed)
        {
            return hit.Metadata;
        }
        var md = ReadFile(path);
        Cache[path] = (length, changed, md);
        return md;
    }

    private static PluginMetadata? ReadFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }
            var md = pe.GetMetadataReader();
            Version? contract = null;
            Version? formats = null;
            foreach (var h in md.AssemblyReferences)
            {
                var r = md.GetAssemblyReference(h);
                switch (md.GetString(r.Name))
                {
                    case "Flux.Abstractions":
                        contract = r.Version;
                        break;
                    case "Flux.Formats":
                        formats = r.Version;
                        break;
                }
            }
            var entries = new List<PluginEntry>();
            foreach (var th in md.TypeDefinitions)
            {
                var td = md.GetTypeDefinition(th);
                foreach (var ah in td.GetCustomAttributes())
                {
                    var attr = md.GetCustomAttribute(ah);
                    if (!IsFluxPluginAttribute(md, attr))
                    {
                        continue;
                    }
                    var blob = md.GetBlobReader(attr.Value);
                    if (blob.ReadUInt16() != 1)
                    {
                        continue;
                    }
                    var name = blob.ReadSerializedString();
                    var kind = (PluginKind)blob.ReadInt32();
                    var description = ReadDescription(ref blob);
                    var ns = md.GetString(td.Namespace);
                    var typeName = ns.Length == 0 ? md.GetString(td.Name) : ns + "." + md.GetString(td.Name);
                    if (name is not null)
                    {
                        entries.Add(new PluginEntry(typeName, name, kind, description));
                    }
                }
            }
            // A ReadyToRun image has a managed native header (the READYTORUN header) in its CLI header.
            var r2r = pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
            return new PluginMetadata(path, entries, contract, r2r, formats);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The same description of an assembly already loaded (into its plugin context), by reflection:
    /// what a client uses to find a connector without loading System.Reflection.Metadata.
    /// </summary>
    public static PluginMetadata FromAssembly(Assembly assembly, string path, bool isReadyToRun)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type?[] types;
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PluginLoadingUnavailableException(path);
        }
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }
        var entries = new List<PluginEntry>();
        foreach (var t in types)
        {
            if (t?.GetCustomAttribute<FluxPluginAttribute>(inherit: false) is { } attr)
            {
                entries.Add(new PluginEntry(t.FullName!, attr.Name, attr.Kind, attr.Description));
            }
        }
        Version? contract = null;
        Version? formats = null;
        foreach (var r in assembly.GetReferencedAssemblies())
        {
            switch (r.Name)
            {
                case "Flux.Abstractions":
                    contract = r.Version;
                    break;
                case "Flux.Formats":
                    formats = r.Version;
                    break;
            }
        }
        return new PluginMetadata(path, entries, contract, isReadyToRun, formats);
    }

    // The named arguments after the fixed ones (ECMA-335 II.23.3): Description is the only one, a string property.
    private static string? ReadDescription(ref BlobReader blob)
    {
        if (blob.RemainingBytes < 2)
        {
            return null;
        }
        var count = blob.ReadUInt16();
        string? description = null;
        for (var i = 0; i < count; i++)
        {
            var member = blob.ReadByte();
            var type = blob.ReadByte();
            var name = blob.ReadSerializedString();
            if (member != 0x54 || type != 0x0e)
            {
                return description;
            }
            var value = blob.ReadSerializedString();
            if (name == nameof(FluxPluginAttribute.Description))
            {
                description = value;
            }
        }
        return description;
    }

    private static bool IsFluxPluginAttribute(MetadataReader md, CustomAttribute attr)
    {
        EntityHandle typeHandle;
        if (attr.Constructor.Kind == HandleKind.MemberReference)
        {
            typeHandle = md.GetMemberReference((MemberReferenceHandle)attr.Constructor).Parent;
        }
        else if (attr.Constructor.Kind == HandleKind.MethodDefinition)
        {
            typeHandle = md.GetMethodDefinition((MethodDefinitionHandle)attr.Constructor).GetDeclaringType();
        }
        else
        {
            return false;
        }
        return typeHandle.Kind switch
        {
            HandleKind.TypeReference => IsName(md, md.GetTypeReference((TypeReferenceHandle)typeHandle).Namespace, md.GetTypeReference((TypeReferenceHandle)typeHandle).Name),
            HandleKind.TypeDefinition => IsName(md, md.GetTypeDefinition((TypeDefinitionHandle)typeHandle).Namespace, md.GetTypeDefinition((TypeDefinitionHandle)typeHandle).Name),
            _ => false,
        };
    }

    private static bool IsName(MetadataReader md, StringHandle ns, StringHandle name) =>
        md.StringComparer.Equals(ns, "Flux.Abstractions") && md.StringComparer.Equals(name, nameof(FluxPluginAttribute));
}
