// The schema validator: checks jobspec against the JSON Schema file given by --schema=PATH (flux-core's schema plugin).
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Validators.Builtins;

[FluxPlugin("schema", PluginKind.Validator, Description = "Validate jobspec using a JSON Schema (--schema=PATH)")]
public sealed class SchemaValidator : IFluxPlugin
{
    private JsonSchemaSubset? _schema;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var path = PluginOptions.Text(plugin.Conf, "schema")
            ?? throw new FluxException(Errno.EINVAL, "the schema validator requires --schema=PATH in [ingest.validator] args");
        JsonNode? doc;
        try
        {
            doc = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (IOException ex)
        {
            throw new FluxException(Errno.ENOENT, $"{path}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new FluxException(Errno.EACCES, $"{path}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EINVAL, $"{path}: {ex.Message}");
        }
        _schema = new JsonSchemaSubset(doc as JsonObject ?? throw new FluxException(Errno.EINVAL, $"{path}: a schema must be a JSON object"));
        _schema.CheckReferences();
        plugin.Handle("job.validate", (_, args) => _schema.Check(args.In["jobspec"]) is not { } why || args.Error(why));
    }
}
