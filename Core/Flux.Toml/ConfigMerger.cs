// Merges parsed config files into one tree, refusing any table or key that two files define.
namespace Flux.Toml;

/// <summary>
/// Tables that a file only implies (the <c>policy</c> of <c>[policy.limits]</c>) are shared
/// between files; a table a file defines (by header, dotted key or inline) and every key belong
/// to that one file, as if the files were one TOML document with each table defined once.
/// </summary>
internal sealed class ConfigMerger
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    public TomlTable Root { get; } = new(TomlTableKind.Root, 0, 0);

    public IReadOnlyDictionary<string, string> Sources => _sources;

    public void Add(TomlTable document, string file) => Merge(Root, document, string.Empty, file);

    private void Merge(TomlTable target, TomlTable source, string prefix, string file)
    {
        foreach (var (key, value) in source)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            var existing = target.Find(key);
            if (existing is null)
            {
                target.Add(key, value);
                Attribute(value, path, file);
                continue;
            }
            if (existing is TomlTable into && value is TomlTable from && Mergeable(into, from))
            {
                if (from.Definition != TomlTableKind.Implicit)
                {
                    // The file that defines the table, rather than the first one that implied it, owns it.
                    into.Definition = from.Definition;
                    into.Line = from.Line;
                    into.Column = from.Column;
                    _sources[path] = file;
                }
                Merge(into, from, path, file);
                continue;
            }
            var other = _sources.GetValueOrDefault(path, "another file");
            throw new TomlException($"{Name(value, path)} is already defined in {other} ({other} line {existing.Line}, {file} line {value.Line})", file, 0, 0);
        }
    }

    private static bool Mergeable(TomlTable a, TomlTable b) =>
        a.Definition != TomlTableKind.Inline && b.Definition != TomlTableKind.Inline
        && (a.Definition == TomlTableKind.Implicit || b.Definition == TomlTableKind.Implicit);

    private static string Name(TomlValue value, string path) => value switch
    {
        TomlArray { IsArrayOfTables: true } => $"[[{path}]]",
        TomlTable { Definition: not TomlTableKind.Inline } => $"[{path}]",
        _ => $"key '{path}'",
    };

    private void Attribute(TomlValue value, string path, string file)
    {
        _sources[path] = file;
        switch (value)
        {
            case TomlTable table:
                foreach (var (key, child) in table)
                {
                    Attribute(child, $"{path}.{key}", file);
                }
                break;
            case TomlArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is TomlTable or TomlArray)
                    {
                        Attribute(array[i], $"{path}[{i}]", file);
                    }
                }
                break;
        }
    }
}
