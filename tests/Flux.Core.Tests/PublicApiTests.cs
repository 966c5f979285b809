// The public APIs of Flux.Abstractions and Flux.Formats, compared with checked-in approved listings:
// changing what plugins compile against is a visible decision (update the .approved.txt in the same commit).
using System.Reflection;
using System.Text;
using Flux.Abstractions;

namespace Flux.Core.Tests;

public sealed class PublicApiTests
{
    [Fact]
    public void Abstractions_PublicApi_MatchesApprovedListing() => AssertMatchesApproved(typeof(IFlux).Assembly);

    [Fact]
    public void Formats_PublicApi_MatchesApprovedListing() => AssertMatchesApproved(typeof(Flux.Formats.Fsd).Assembly);

    private static void AssertMatchesApproved(Assembly asm)
    {
        var name = asm.GetName().Name!;
        var approvedPath = Path.Combine(Repo.Root, "tests", "Flux.Core.Tests", name + ".approved.txt");
        var actual = Describe(asm);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath) : string.Empty;
        if (actual != approved)
        {
            var received = approvedPath.Replace(".approved.txt", ".received.txt", StringComparison.Ordinal);
            File.WriteAllText(received, actual);
            var a = approved.Split('\n').ToHashSet();
            var b = actual.Split('\n').ToHashSet();
            var added = b.Except(a).Take(20);
            var removed = a.Except(b).Take(20);
            Assert.Fail($"The public API of {name} changed. If intended, copy {received} over {approvedPath}.\n" +
                $"Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}");
        }
    }

    private static string Describe(Assembly asm)
    {
        // The contract version heads the listing (Abstractions/Directory.Build.props): an API change
        // and the version it ships in are reviewed together.
        var lines = new List<string> { $"// version {asm.GetName().Version!.ToString(2)}" };
        foreach (var t in asm.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : t.IsAbstract ? "abstract class" : "class";
            var bases = new List<string>();
            if (t.BaseType is { } bt && bt != typeof(object) && bt != typeof(ValueType) && bt != typeof(Enum))
            {
                bases.Add(Name(bt));
            }
            bases.AddRange(t.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {Name(t)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = new List<string>();
            foreach (var m in t.GetMembers(flags))
            {
                var s = m switch
                {
                    ConstructorInfo c => $"ctor({Params(c)})",
                    MethodInfo mi when !mi.IsSpecialName => $"{(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}{(mi.IsGenericMethod ? "<" + string.Join(",", mi.GetGenericArguments().Select(Name)) + ">" : "")}({Params(mi)})",
                    PropertyInfo p => $"{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : "")} }}",
                    FieldInfo f when t.IsEnum && f.IsStatic => $"{f.Name} = {Convert.ToUInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
                    FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}",
                    EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
                    _ => null,
                };
                if (s is not null)
                {
                    members.Add("  " + s);
                }
            }
            lines.AddRange(members.Order(StringComparer.Ordinal));
        }
        return string.Join('\n', lines) + "\n";
    }

    private static string Params(MethodBase m) =>
        string.Join(", ", m.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type t)
    {
        if (t.IsGenericParameter)
        {
            return t.Name;
        }
        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }
        if (t.IsByRef)
        {
            return "ref " + Name(t.GetElementType()!);
        }
        var name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is { } ns ? ns + "." : "") + t.Name;
        if (t.IsGenericType)
        {
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            name = (tick < 0 ? name : name[..tick]) + "<" + string.Join(",", t.GetGenericArguments().Select(Name)) + ">";
        }
        return name;
    }
}
