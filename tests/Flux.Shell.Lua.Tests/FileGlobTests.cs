// glob(3) as source() and plugin.load use it.
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class FileGlobTests
{
    [Theory]
    [InlineData("*.so", "a.so", true)]
    [InlineData("*.so", ".hidden.so", false)]
    [InlineData(".*.so", ".hidden.so", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("[ab]x", "bx", true)]
    [InlineData("[!ab]x", "bx", false)]
    [InlineData("[a-c]x", "cx", true)]
    [InlineData("[]x", "[]x", true)]
    [InlineData("x[", "x[", true)]
    [InlineData("*", "", true)]
    public void Match_Patterns_AsFnmatchWithPeriod(string pattern, string name, bool expected) =>
        Assert.Equal(expected, FileGlob.Match(pattern, name));

    [Fact]
    public void Expand_NestedGlob_SortedExistingPaths()
    {
        string dir = TempDirs.Create("flux-glob-");
        foreach (var p in new[] { "b/x.lua", "a/x.lua", "a/y.txt", "c/x.lua" })
        {
            Directory.CreateDirectory(Path.Combine(dir, Path.GetDirectoryName(p)!));
            File.WriteAllText(Path.Combine(dir, p), "");
        }
        Assert.Equal([$"{dir}/a/x.lua", $"{dir}/b/x.lua"], FileGlob.Expand($"{dir}/[ab]/*.lua"));
        Assert.Equal([$"{dir}/c/x.lua"], FileGlob.Expand($"{dir}/c/x.lua"));
        Assert.Empty(FileGlob.Expand($"{dir}/d/x.lua"));
        Assert.Empty(FileGlob.Expand($"{dir}/nosuch/*.lua"));
    }

    [Fact]
    public void Expand_Tilde_IsHome()
    {
        string home = Environment.GetEnvironmentVariable("HOME")!;
        Assert.Equal(Directory.Exists(home) ? [home] : [], FileGlob.Expand("~"));
    }
}
