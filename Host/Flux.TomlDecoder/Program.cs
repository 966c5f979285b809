// flux-toml-decoder: reads TOML on stdin and writes toml-test's tagged JSON on stdout, as the suite's runner expects.
using System.Text.Json;
using Flux.Toml;

// The runner's contract: exit 0 with JSON for valid input; a message on stderr and exit
// code exactly 1 for invalid input (any other code counts as a crash).
using var input = new MemoryStream();
using (var stdin = Console.OpenStandardInput())
{
    stdin.CopyTo(input);
}

TomlTable document;
try
{
    document = TomlParser.Parse(input.GetBuffer().AsSpan(0, (int)input.Length));
}
catch (TomlException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

using (var stdout = Console.OpenStandardOutput())
using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
{
    TomlJson.ToTaggedJson(document).WriteTo(writer);
}
Console.Out.WriteLine();
return 0;
