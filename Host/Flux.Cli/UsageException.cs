// A command-line usage error: printed with a pointer to --help, exit code 2 like getopt tools.
namespace Flux.Cli;

internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException() : this("usage error") { }

    public UsageException(string message, Exception inner) : this(message + ": " + inner.Message) { }
}
