// Mutation fuzzing over the toml-test corpus: whatever the bytes, Parse returns a tree or throws TomlException.
using System.Text.Json;
using Xunit.Abstractions;

namespace Flux.Toml.Tests;

public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    // Fragments that steer mutations towards the grammar's edges.
    private static readonly byte[][] Tokens =
    [
        "["u8.ToArray(), "]"u8.ToArray(), "[["u8.ToArray(), "]]"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(),
        "\""u8.ToArray(), "'"u8.ToArray(), "\"\"\""u8.ToArray(), "'''"u8.ToArray(), "\\"u8.ToArray(),
        "\\u"u8.ToArray(), "\\U0010FFFF"u8.ToArray(), "="u8.ToArray(), "."u8.ToArray(), ","u8.ToArray(),
        "#"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r"u8.ToArray(), " "u8.ToArray(), "\t"u8.ToArray(),
        "0x"u8.ToArray(), "1e"u8.ToArray(), "-"u8.ToArray(), "_"u8.ToArray(), ":"u8.ToArray(), "T"u8.ToArray(),
        "Z"u8.ToArray(), "1979-05-27"u8.ToArray(), "07:32:00"u8.ToArray(), "inf"u8.ToArray(), "nan"u8.ToArray(),
        "true"u8.ToArray(), "9223372036854775808"u8.ToArray(), "é"u8.ToArray(), [0xEF, 0xBB, 0xBF], [0xC3], [0xFF], [0x00],
    ];

    [Fact]
    public void Parse_MutatedCorpus_OnlyThrowsTomlException()
    {
        var corpus = TomlTestSuite.ValidCases.Concat(TomlTestSuite.InvalidCases).Select(TomlTestSuite.Read).ToList();
        var random = new Random(0x70AA1);
        int accepted = 0, rejected = 0;
        var failures = new List<string>();
        using var sink = new Utf8JsonWriter(Stream.Null);
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(corpus[random.Next(corpus.Count)], random);
            try
            {
                var document = TomlParser.Parse(input);
                TomlJson.ToTaggedJson(document).WriteTo(sink);
                sink.Reset();
                TomlJson.ToPlainJson(document).WriteTo(sink);
                sink.Reset();
                accepted++;
            }
            catch (TomlException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                failures.Add($"iteration {i}: {ex.GetType().Name}: {ex.Message}; input (base64) {Convert.ToBase64String(input)}");
                if (failures.Count == 10)
                {
                    break;
                }
            }
        }
        output.WriteLine($"fuzz: {Iterations} inputs, {accepted} accepted, {rejected} rejected, {failures.Count} crashes");
        failures.ForEach(output.WriteLine);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var data = new List<byte>(source);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(8)));
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5 when data.Count > 0:
                    var length = Math.Min(data.Count - at, 1 + random.Next(64));
                    var slice = data.GetRange(at, length);
                    data.InsertRange(random.Next(data.Count + 1), slice);
                    break;
                default:
                    data.Insert(at, (byte)random.Next(256));
                    break;
            }
        }
        return [.. data];
    }
}
