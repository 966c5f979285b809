// The hand-written command table (the native flux cannot find its commands by reflection) against the assembly's types.
namespace Flux.Cli.Tests;

public sealed class CommandTableTests
{
    [Fact]
    public void Create_ListsEveryCommandType_ExactlyOnce()
    {
        var declared = typeof(Command).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Command)) && !t.IsAbstract)
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var listed = CommandTable.Create().Select(c => c.GetType().FullName!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, listed);
    }
}
