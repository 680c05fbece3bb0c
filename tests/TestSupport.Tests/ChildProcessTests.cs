using NUnit.Framework;

namespace TestSupport.Tests;

public sealed class ChildProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Output_and_exit_code_are_captured_and_only_given_variables_are_passed()
    {
        Environment.SetEnvironmentVariable("X402_LEAK_PROBE", "leaked");
        try
        {
            await using var process = ChildProcess.Start(
                "/bin/sh",
                ["-c", "echo \"given=$GIVEN probe=${X402_LEAK_PROBE:-none}\"; echo oops >&2; exit 3"],
                new Dictionary<string, string> { ["GIVEN"] = "yes" });

            Assert.That(await process.WaitForExitAsync(Timeout), Is.EqualTo(3));
            Assert.That(process.Output, Does.Contain("given=yes probe=none").And.Contain("oops"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("X402_LEAK_PROBE", null);
        }
    }

    [Test]
    public async Task Waiting_for_a_line_returns_it_and_kill_ends_the_whole_tree()
    {
        await using var process = ChildProcess.Start("/bin/sh", ["-c", "echo ready; sleep 600 & wait"]);

        Assert.That(await process.WaitForLineAsync(line => line.StartsWith("ready"), Timeout), Is.EqualTo("ready"));

        process.Kill();
        Assert.That(await process.WaitForExitAsync(Timeout), Is.Not.Zero);
    }

    [Test]
    public async Task Waiting_for_a_line_that_never_comes_fails_as_soon_as_the_process_exits()
    {
        await using var process = ChildProcess.Start("/bin/sh", ["-c", "echo something else"]);

        var error = Assert.ThrowsAsync<InvalidOperationException>(
            () => process.WaitForLineAsync(line => line == "never", TimeSpan.FromMinutes(1)));
        Assert.That(error!.Message, Does.Contain("something else"));
    }

    [Test]
    public async Task A_dotnet_program_runs_under_the_dotnet_host()
    {
        await using var process = ChildProcess.StartDotnet("--version", []);

        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, process.Output);
        Assert.That(process.Output, Does.StartWith("10."));
    }
}
