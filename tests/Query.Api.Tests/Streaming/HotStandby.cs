using System.Globalization;
using TestSupport;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// A streaming replica (hot standby) of a test server, made with the local PostgreSQL binaries: a base
/// backup of the primary, started read-only on a free port, following the primary's WAL.
/// </summary>
internal sealed class HotStandby : IAsyncDisposable
{
    private const string InstallRoot = "/usr/lib/postgresql";
    private const string OsUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDir;
    private readonly string _directory;

    private HotStandby(string binDir, string directory, int port)
    {
        _binDir = binDir;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(_directory, "data");

    /// <summary>The local binaries, or null where there are none (a Docker or external server is in use).</summary>
    public static string? FindBinaries() => Directory.Exists(InstallRoot)
        ? Directory.GetDirectories(InstallRoot)
            .Where(dir => File.Exists(Path.Combine(dir, "bin", "pg_basebackup")))
            .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var version) ? version : 0)
            .Select(dir => Path.Combine(dir, "bin"))
            .FirstOrDefault()
        : null;

    /// <param name="primaryAdminUrl">A superuser of the primary, which must accept replication connections from 127.0.0.1.</param>
    public static async Task<HotStandby> StartAsync(string binDir, string primaryAdminUrl)
    {
        var primary = new Uri(primaryAdminUrl);
        var user = primary.UserInfo.Split(':', 2);
        var directory = Directory.CreateTempSubdirectory("x402-standby-").FullName;
        var standby = new HotStandby(binDir, directory, FreePort.Next());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync(directory, "chown", "-R", $"{OsUser}:{OsUser}", directory);
            }

            var source = $"host={primary.Host} port={primary.Port} user={Uri.UnescapeDataString(user[0])} password={Uri.UnescapeDataString(user[1])}";
            await standby.RunToolAsync("pg_basebackup", "-d", source, "-D", standby.DataDir, "-R", "-X", "stream", "--checkpoint", "fast", "--no-sync");
            await standby.RunToolAsync(
                "pg_ctl", "-D", standby.DataDir, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
                "-o", $"-p {standby.Port.ToString(CultureInfo.InvariantCulture)} -k {directory}", "start");
            return standby;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary><paramref name="primaryUrl"/> (any role, any database) pointed at the standby.</summary>
    public string UrlFor(string primaryUrl) => new UriBuilder(primaryUrl) { Port = Port }.Uri.ToString();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunToolAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_binDir, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync(_directory, "runuser", ["-u", OsUser, "--", path, .. arguments])
            : RunAsync(_directory, path, arguments);
    }

    private static async Task RunAsync(string workingDirectory, string fileName, params string[] arguments)
    {
        await using var process = ChildProcess.Start(fileName, arguments, workingDirectory: workingDirectory);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {arguments.FirstOrDefault()} exited with code {exitCode}:\n{process.Output}");
        }
    }
}
