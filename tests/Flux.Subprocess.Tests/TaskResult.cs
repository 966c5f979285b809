// What a finished test task produced: its raw wait status and everything it wrote.
using System.Text;

namespace Flux.Subprocess.Tests;

internal sealed record TaskResult(int Status, byte[] Stdout, byte[] Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => Encoding.UTF8.GetString(Stderr);
}
