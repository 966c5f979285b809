// Locates and reads the RFC test vectors in ../shared/vectors beside the checkout.
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Flux.Formats.Tests;

internal static class Vectors
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Dir => Root.Value;

    public static string PathOf(string relative) => Path.Combine(Dir, relative);

    public static JsonNode Json(string relative) =>
        JsonNode.Parse(File.ReadAllText(PathOf(relative))) ?? throw new InvalidDataException(relative + " is null");

    // The RFC jobspec examples are YAML; this follows YAML 1.2 core-schema scalar typing so that
    // "3600." stays a number and quoted scalars stay strings.
    public static JsonNode? Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(PathOf(relative)));
        stream.Load(reader);
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException("unexpected YAML node " + node.NodeType),
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(v);
        }
        if (v is "null" or "~" or "")
        {
            return null;
        }
        if (v is "true" or "false")
        {
            return JsonValue.Create(v == "true");
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(v, "^[-+]?[0-9]+$"))
        {
            return JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
        {
            return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(v);
    }

    // Walk up from the test assembly to the checkout (the folder holding Flux.sln); the vectors sit
    // beside it. A missing folder fails the test: vectors are required, never optional.
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flux.sln")))
            {
                var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "vectors"));
                Assert.True(Directory.Exists(vectors), $"test vectors not found at {vectors}");
                return vectors;
            }
        }
        Assert.Fail($"no Flux.sln above {AppContext.BaseDirectory}; cannot locate ../shared/vectors");
        return "";
    }
}
