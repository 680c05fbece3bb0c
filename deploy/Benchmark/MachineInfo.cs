using System.Globalization;
using System.Runtime.InteropServices;
using Benchmark.Database;

namespace Benchmark;

/// <summary>One line naming the machine the numbers came from.</summary>
public static class MachineInfo
{
    private const string ServerVersionSql = "SHOW server_version";

    public static async Task<string> DescribeAsync(string adminDatabaseUrl, CancellationToken cancellationToken)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memoryKb = long.Parse(
            File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var postgres = await BenchDatabase.Admin(adminDatabaseUrl).ScalarAsync<string>(ServerVersionSql, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {memoryKb / (1024.0 * 1024):F0} GiB, {os ?? RuntimeInformation.OSDescription}, .NET {Environment.Version}, PostgreSQL {postgres}, all on one machine");
    }
}
