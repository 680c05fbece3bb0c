using NUnit.Framework;

namespace Deploy.Tests;

public sealed class SystemdUnitsTests
{
    private static readonly string[] Units = ["x402-migrate.service", "x402-indexer.service", "x402-api.service"];

    [Test]
    public async Task EveryUnit_PassesSystemdAnalyzeVerify()
    {
        var (exitCode, output) = await Tools.RunAsync("systemd-analyze", ["verify", .. Units.Select(unit => Tools.Deploy("systemd", unit))]);

        Assert.That(exitCode, Is.Zero, output);
    }

    [TestCaseSource(nameof(Units))]
    public async Task EachUnit_RunsHardenedAsTheDedicatedUser_FromAnEnvironmentFile(string unit)
    {
        var directives = (await File.ReadAllLinesAsync(Tools.Deploy("systemd", unit)))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Trim())
            .ToHashSet();

        Assert.That(directives, Is.SupersetOf(new[]
        {
            "User=x402", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
            "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "ProtectKernelTunables=yes", "LockPersonality=yes",
        }));
        Assert.That(directives.Any(line => line.StartsWith("EnvironmentFile=/etc/x402/", StringComparison.Ordinal)), Is.True);
    }
}
