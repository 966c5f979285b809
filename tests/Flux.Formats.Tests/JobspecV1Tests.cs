// Tests for RFC 25 version 1 jobspec validation: the RFC examples and one case per rule.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class JobspecV1Tests
{
    private const string Minimal = """
        {"resources":[{"type":"slot","count":1,"label":"task","with":[{"type":"core","count":1}]}],
         "tasks":[{"command":["hostname"],"slot":"task","count":{"per_slot":1}}],
         "attributes":{"system":{"duration":0}},
         "version":1}
        """;

    public static TheoryData<string> Spec25Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Vectors.PathOf("jobspec-rfc/spec_25"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add("jobspec-rfc/spec_25/" + Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Spec25Examples))]
    public void Validate_Spec25Example_IsValid(string file)
    {
        JobspecV1.Validate(Vectors.Yaml(file)!);
    }

    [Fact]
    public void Vectors_Spec25_AreAllRead()
    {
        Assert.Equal(6, Spec25Examples().Count);
    }

    [Fact]
    public void Validate_Spec14Example1_IsValidV1()
    {
        JobspecV1.Validate(Vectors.Yaml("jobspec-rfc/spec_14/example1.yaml")!);
    }

    [Fact]
    public void Validate_Spec14Example2_SlotOfNodesIsNotV1()
    {
        var e = Assert.Throws<FluxException>(() => JobspecV1.Validate(Vectors.Yaml("jobspec-rfc/spec_14/example2.yaml")!));
        Assert.Equal("resources[0].with[0].type: must be core or gpu", e.Message);
    }

    public static TheoryData<string> Spec14UseCases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Vectors.PathOf("jobspec-rfc/spec_14"), "use_case_*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add("jobspec-rfc/spec_14/" + Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Spec14UseCases))]
    public void Validate_Spec14UseCase_Version999IsRejected(string file)
    {
        var e = Assert.Throws<FluxException>(() => JobspecV1.Validate(Vectors.Yaml(file)!));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.Equal("version: must be 1", e.Message);
    }

    [Fact]
    public void Vectors_Spec14UseCases_AreAllRead()
    {
        Assert.Equal(17, Spec14UseCases().Count);
    }

    [Theory]
    [InlineData("example_1.yaml")]
    [InlineData("example_2.yaml")]
    [InlineData("example_3_A.yaml")]
    [InlineData("example_3_B.yaml")]
    [InlineData("example_3_C.yaml")]
    public void Validate_Spec26DependenciesInJobspec_AreValid(string file)
    {
        var jobspec = JsonNode.Parse(Minimal)!.AsObject();
        jobspec["attributes"]!["system"]!["dependencies"] = Vectors.Yaml("jobspec-rfc/spec_26/" + file);
        JobspecV1.Validate(jobspec);
    }

    [Fact]
    public void Validate_Minimal_IsValid()
    {
        JobspecV1.Validate(JsonNode.Parse(Minimal)!);
        Assert.Null(JobspecV1.Check(JsonNode.Parse(Minimal)!));
    }

    // Each case edits the minimal jobspec with a path => JSON value (null JSON removes the key).
    [Theory]
    [InlineData("version", "2", "version: must be 1")]
    [InlineData("version", "\"1\"", "version: must be 1")]
    [InlineData("version", null, "version: required")]
    [InlineData("extra", "1", "extra: unknown key")]
    [InlineData("resources", null, "resources: required")]
    [InlineData("resources", "[]", "resources: must be an array of exactly one resource vertex")]
    [InlineData("resources", "{}", "resources: must be an array of exactly one resource vertex")]
    [InlineData("resources/0/type", "\"core\"", "resources[0].type: must be node or slot")]
    [InlineData("resources/0/type", "5", "resources[0].type: must be a string")]
    [InlineData("resources/0/count", "0", "resources[0]: count must be a positive integer")]
    [InlineData("resources/0/count", "1.0", "resources[0]: count must be a positive integer")]
    [InlineData("resources/0/count", "\"1\"", "resources[0]: count must be a positive integer")]
    [InlineData("resources/0/count", "{\"min\":1}", "resources[0]: count must be a positive integer")]
    [InlineData("resources/0/label", null, "resources[0].label: required")]
    [InlineData("resources/0/label", "1", "resources[0].label: must be a string")]
    [InlineData("resources/0/exclusive", "1", "resources[0].exclusive: must be a boolean")]
    [InlineData("resources/0/unit", "\"GB\"", "resources[0].unit: unknown key")]
    [InlineData("resources/0/with", "[]", "resources[0].with: must be an array of 1 or 2")]
    [InlineData("resources/0/with", "[{\"type\":\"core\",\"count\":1},{\"type\":\"gpu\",\"count\":1},{\"type\":\"gpu\",\"count\":1}]", "resources[0].with: must be an array of 1 or 2")]
    [InlineData("resources/0/with/0/count", "0", "resources[0].with[0]: count must be a positive integer")]
    [InlineData("resources/0/with/0/type", "\"memory\"", "resources[0].with[0].type: must be core or gpu")]
    [InlineData("resources/0/with/0/unit", "\"x\"", "resources[0].with[0].unit: unknown key")]
    [InlineData("resources/0/with/0", "{\"type\":\"gpu\",\"count\":1}", "resources[0].with: must contain a core vertex")]
    [InlineData("resources/0/with/1", "{\"type\":\"gpu\",\"count\":-1}", "resources[0].with[1]: count must be a non-negative integer")]
    [InlineData("resources/0/with/1", "{\"type\":\"core\",\"count\":1}", "resources[0].with[1].type: core appears more than once")]
    [InlineData("tasks", "[]", "tasks: must be an array of exactly one task")]
    [InlineData("tasks/0/command", "[]", "tasks[0].command: must be a non-empty array of strings")]
    [InlineData("tasks/0/command", "\"hostname\"", "tasks[0].command: must be a non-empty array of strings")]
    [InlineData("tasks/0/command", "[\"a\",1]", "tasks[0].command: must be a non-empty array of strings")]
    [InlineData("tasks/0/slot", "3", "tasks[0].slot: must be a string")]
    [InlineData("tasks/0/slot", null, "tasks[0].slot: required")]
    [InlineData("tasks/0/attributes", "{}", "tasks[0].attributes: unknown key")]
    [InlineData("tasks/0/count", "{}", "tasks[0].count: must have exactly one of per_slot or total")]
    [InlineData("tasks/0/count", "{\"per_slot\":1,\"total\":2}", "tasks[0].count: must have exactly one of per_slot or total")]
    [InlineData("tasks/0/count", "{\"per_resource\":1}", "tasks[0].count: must have exactly one of per_slot or total")]
    [InlineData("tasks/0/count", "{\"per_slot\":0}", "tasks[0].count.per_slot: must be a positive integer")]
    [InlineData("tasks/0/count", "{\"total\":1.5}", "tasks[0].count.total: must be a positive integer")]
    [InlineData("attributes", "[]", "attributes: must be an object, not an array")]
    [InlineData("attributes/system", null, "attributes.system: required")]
    [InlineData("attributes/system", "{}", "attributes.system: must be a non-empty object")]
    [InlineData("attributes/user", "{}", "attributes.user: must be a non-empty object")]
    [InlineData("attributes/other", "{\"a\":1}", "attributes.other: unknown section")]
    [InlineData("attributes/system", "{\"cwd\":\"/\"}", "attributes.system.duration: required")]
    [InlineData("attributes/system/duration", "\"1h\"", "attributes.system.duration: must be a number")]
    [InlineData("attributes/system/duration", "-1", "attributes.system.duration: must not be negative")]
    [InlineData("attributes/system/environment", "[]", "attributes.system.environment: must be an object")]
    [InlineData("attributes/system/constraints", "\"x\"", "attributes.system.constraints: must be an object")]
    [InlineData("attributes/system/dependencies", "{}", "attributes.system.dependencies: must be an array")]
    [InlineData("attributes/system/dependencies", "[{\"scheme\":\"afterok\"}]", "attributes.system.dependencies[0]: must be an object with string scheme and value")]
    [InlineData("attributes/system/dependencies", "[1]", "attributes.system.dependencies[0]: must be an object with string scheme and value")]
    [InlineData("attributes/system/shell", "1", "attributes.system.shell: must be an object")]
    [InlineData("attributes/system/shell", "{\"options\":[]}", "attributes.system.shell.options: must be an object")]
    public void Validate_Violation_NamesPathAndRule(string path, string? json, string expected)
    {
        var jobspec = Edit(path, json);
        var e = Assert.Throws<FluxException>(() => JobspecV1.Validate(jobspec));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(expected, JobspecV1.Check(jobspec), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resources/0/exclusive", "true")]
    [InlineData("resources/0/with/1", "{\"type\":\"gpu\",\"count\":0}")]
    [InlineData("tasks/0/count", "{\"total\":7}")]
    [InlineData("tasks/0/count", "{\"per_slot\":2}")]
    [InlineData("attributes/user", "{\"x\":1}")]
    [InlineData("attributes/system/duration", "3600.5")]
    [InlineData("attributes/system/unknown", "\"kept\"")]
    [InlineData("attributes/system/dependencies", "[{\"scheme\":\"afterok\",\"value\":\"f1\",\"extra\":1}]")]
    [InlineData("attributes/system/shell", "{\"options\":{\"mpi\":\"none\"}}")]
    public void Validate_AllowedVariant_IsValid(string path, string json)
    {
        JobspecV1.Validate(Edit(path, json));
    }

    [Fact]
    public void Validate_NodeShape_ChecksNodeRules()
    {
        const string node = """
            {"resources":[{"type":"node","count":2,"unit":"x","with":[{"type":"slot","count":1,"label":"task","with":[{"type":"core","count":1}]}]}],
             "tasks":[{"command":["a"],"slot":"task","count":{"total":2}}],
             "attributes":{"system":{"duration":0}},"version":1}
            """;
        JobspecV1.Validate(JsonNode.Parse(node)!);
        var bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["with"]![0]!["type"] = "core";
        Assert.Equal("resources[0].with[0].type: must be slot", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message);
        bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["with"]!.AsArray().Add(JsonNode.Parse("{\"type\":\"slot\"}"));
        Assert.StartsWith("resources[0].with: must be an array of exactly one slot", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message, StringComparison.Ordinal);
        bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["with"]![0]!["with"]![0]!["count"] = 0;
        Assert.Equal("resources[0].with[0].with[0]: count must be a positive integer", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message);
        bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["exclusive"] = "yes";
        Assert.Equal("resources[0].exclusive: must be a boolean", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message);
        bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["label"] = "x";
        Assert.StartsWith("resources[0].label: unknown key", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message, StringComparison.Ordinal);
        bad = JsonNode.Parse(node)!;
        bad["resources"]![0]!["count"] = 0;
        Assert.Equal("resources[0]: count must be a positive integer", Assert.Throws<FluxException>(() => JobspecV1.Validate(bad)).Message);
    }

    [Fact]
    public void Validate_NotAnObject_Throws()
    {
        Assert.Equal("jobspec: must be an object, not an array", Assert.Throws<FluxException>(() => JobspecV1.Validate(new JsonArray())).Message);
    }

    [Fact]
    public void ParseJson_InvalidJson_NamesLineAndColumn()
    {
        var e = Assert.Throws<FluxException>(() => Jobspec.ParseJson("{\n  \"a\": 1,\n  oops\n}"));
        Assert.Equal(Errno.EINVAL, e.Errnum);
        Assert.StartsWith("jobspec: invalid JSON at line 3, column 3", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("jobspec: must be a JSON object", Assert.Throws<FluxException>(() => Jobspec.ParseJson("[1]")).Message, StringComparison.Ordinal);
        Assert.StartsWith("jobspec: invalid JSON", Assert.Throws<FluxException>(() => Jobspec.ParseJson("")).Message, StringComparison.Ordinal);
        Assert.StartsWith("jobspec: invalid JSON", Assert.Throws<FluxException>(() => Jobspec.ParseJson("{\"a\":1,\"a\":2}")).Message, StringComparison.Ordinal);
        Assert.Equal(1, Jobspec.ParseV1(Minimal)["version"]!.GetValue<int>());
    }

    private static JsonNode Edit(string path, string? json)
    {
        var root = JsonNode.Parse(Minimal)!;
        var parts = path.Split('/');
        var parent = root;
        foreach (var p in parts[..^1])
        {
            parent = int.TryParse(p, out var i) ? parent[i]! : parent[p]!;
        }
        var last = parts[^1];
        var value = json is null ? null : JsonNode.Parse(json);
        if (parent is JsonArray array)
        {
            var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            if (index < array.Count)
            {
                array[index] = value;
            }
            else
            {
                array.Add(value);
            }
        }
        else if (json is null)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = value;
        }
        return root;
    }
}
