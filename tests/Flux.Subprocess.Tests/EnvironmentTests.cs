// What a task inherits: exactly its environment, its working directory, and no stray descriptors.
using System.IO.Pipes;
using Flux.Subprocess;
using static Flux.Subprocess.Tests.TaskRunner;

namespace Flux.Subprocess.Tests;

public sealed class EnvironmentTests
{
    [Fact]
    public async Task Start_Environment_ExactlyAsGiven()
    {
        var result = await RunAsync(new TaskStartInfo
        {
            Arguments = ["/usr/bin/env"],
            Environment = ["B=two words", "A=1", "U=\u00e9t\u00e9", "EMPTY="],
        });

        Assert.Equal(0, result.Status);
        Assert.Equal("B=two words\nA=1\nU=\u00e9t\u00e9\nEMPTY=\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_NoPathInEnvironment_SearchesDefaultPath()
    {
        var result = await RunAsync(new TaskStartInfo { Arguments = ["sh", "-c", "echo ok"], Environment = [] });

        Assert.Equal("ok\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_ProgramName_SearchedInTaskPath()
    {
        using var dir = new TempDir();
        dir.Write("flux-test-prog", "#!/bin/sh\necho \"from $0\"\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await RunAsync(new TaskStartInfo
        {
            Arguments = ["flux-test-prog"],
            Environment = [$"PATH=/nonexistent:{dir.Path}:/usr/bin:/bin"],
        });

        Assert.Equal($"from {dir.File("flux-test-prog")}\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_WorkingDirectory_TaskRunsThere()
    {
        using var dir = new TempDir();

        var result = await RunAsync(new TaskStartInfo { Arguments = ["pwd"], Environment = PathOnly, WorkingDirectory = dir.Path });

        Assert.Equal(dir.Path + "\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_RelativeProgram_ResolvedFromWorkingDirectory()
    {
        using var dir = new TempDir();
        dir.Write("prog", "#!/bin/sh\necho relative\n", UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = await RunAsync(new TaskStartInfo { Arguments = ["./prog"], Environment = PathOnly, WorkingDirectory = dir.Path });

        Assert.Equal("relative\n", result.StdoutText);
    }

    [Fact]
    public async Task Start_MissingWorkingDirectory_ReportsChdirError()
    {
        using var task = TaskProcess.Start(new TaskStartInfo { Arguments = ["true"], Environment = PathOnly, WorkingDirectory = "/nope" });

        Assert.Equal("chdir(/nope): No such file or directory", task.StartError);
        Assert.Equal(0, task.Pid);
        Assert.Equal(127, WaitStatus.FluxExitCode(await Await.Within(task.Exited, "status of a failed start")));
    }

    [Fact]
    public void Start_WorkingDirectoryIsFile_ReportsNotADirectory()
    {
        using var dir = new TempDir();
        var file = dir.Write("file", "");

        using var task = TaskProcess.Start(new TaskStartInfo { Arguments = ["true"], Environment = PathOnly, WorkingDirectory = file });

        Assert.Equal($"chdir({file}): Not a directory", task.StartError);
    }

    [Fact]
    public async Task Start_Descriptors_OnlyStdioInherited()
    {
        // The test host has dozens of descriptors open; none may reach the task (ls adds its own 3).
        var result = await RunAsync(Command("ls", "/proc/self/fd"));

        Assert.Equal(["0", "1", "2", "3"], result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Start_ExtraFile_InheritedAsFd3()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var run = RunAsync(new TaskStartInfo
        {
            Arguments = ["sh", "-c", "echo via3 >&3; ls /proc/self/fd"],
            Environment = PathOnly,
            ExtraFiles = [pipe.ClientSafePipeHandle],
        });
        // The task has its copy now; closing ours lets the pipe reach end of file when it exits.
        pipe.DisposeLocalCopyOfClientHandle();

        var result = await run;
        var fromFd3 = await Await.Within(ReadToEndAsync(pipe), "end of the task's fd 3");

        Assert.Equal("via3\n", System.Text.Encoding.UTF8.GetString(fromFd3));
        Assert.Equal(["0", "1", "2", "3", "4"], result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
