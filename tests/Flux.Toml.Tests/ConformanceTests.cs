// Holds the parser to the toml-test suite: every TOML 1.0.0 valid case decodes as expected, every invalid case is rejected.
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Flux.Toml.Tests;

public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Parse_ValidCases_MatchExpectedJson()
    {
        var cases = TomlTestSuite.ValidCases;
        var failures = new List<string>();
        foreach (var file in cases)
        {
            try
            {
                var actual = TomlJson.ToTaggedJson(TomlParser.Parse(TomlTestSuite.Read(file), file));
                var expectedFile = Path.ChangeExtension(file, ".json");
                var expected = JsonNode.Parse(TomlTestSuite.Read(expectedFile));
                if (TaggedJson.Difference(expected, actual) is { } diff)
                {
                    failures.Add($"{file}: {diff}");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"{file}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        var summary = $"valid: {cases.Count - failures.Count}/{cases.Count} passed";
        output.WriteLine(summary);
        failures.ForEach(output.WriteLine);
        Assert.True(cases.Count == 210, $"expected 210 valid cases in files-toml-1.0.0, found {cases.Count}");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Parse_InvalidCases_ThrowTomlException()
    {
        var cases = TomlTestSuite.InvalidCases;
        var failures = new List<string>();
        foreach (var file in cases)
        {
            try
            {
                TomlParser.Parse(TomlTestSuite.Read(file), file);
                failures.Add($"{file}: accepted");
            }
            catch (TomlException ex)
            {
                output.WriteLine(ex.Message);
            }
            catch (Exception ex)
            {
                failures.Add($"{file}: {ex.GetType().Name} instead of TomlException: {ex.Message}");
            }
        }
        var summary = $"invalid: {cases.Count - failures.Count}/{cases.Count} rejected";
        output.WriteLine(summary);
        failures.ForEach(output.WriteLine);
        Assert.True(cases.Count == 499, $"expected 499 invalid cases in files-toml-1.0.0, found {cases.Count}");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }
}
