using TestSupport;
using System.Diagnostics;

namespace Simulator.Tests;

public sealed class ContractArtifactTests
{
    [Test]
    public async Task CommittedArtifactMatchesTheSoliditySource()
    {
        var startInfo = new ProcessStartInfo("node")
        {
            ArgumentList = { "deploy/contracts/compile.mjs", "--check" },
            WorkingDirectory = RepoLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start node.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, $"{await output}{await errors}");
    }
}
