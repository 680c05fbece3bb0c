using System.Globalization;

namespace TestSupport;

/// <summary>
/// A throw-away cluster made with the local PostgreSQL binaries (Debian's postgresql package) in a
/// temporary folder, listening on 127.0.0.1 at a free port with password (scram) authentication.
/// PostgreSQL refuses to run as root, so as root the server runs as the OS user postgres.
/// </summary>
internal sealed class LocalPostgresCluster : IPostgresBackend
{
    private const string InstallRoot = "/usr/lib/postgresql";
    private const string Superuser = "postgres";
    private const string OsUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDir;
    private readonly string _tempDir;
    private bool _running;

    private LocalPostgresCluster(string binDir, string tempDir, string adminUrl)
    {
        _binDir = binDir;
        _tempDir = tempDir;
        AdminUrl = adminUrl;
    }

    public string AdminUrl { get; }

    public string Description => $"a private cluster of {_binDir} in {DataDir}";

    public bool IsShared => false;

    private string DataDir => Path.Combine(_tempDir, "data");

    private string LogFile => Path.Combine(_tempDir, "server.log");

    private static bool RunAsPostgresUser => Environment.IsPrivilegedProcess;

    public static async Task<LocalPostgresCluster> StartAsync()
    {
        var binDir = FindNewestBinDir();
        var tempDir = Directory.CreateTempSubdirectory("x402-pg-").FullName;
        try
        {
            var port = FreePort.Next();
            var password = Secrets.NewPassword();
            var adminUrl = new PostgresUrl(Superuser, password, "127.0.0.1", port, "postgres").ToString();
            var cluster = new LocalPostgresCluster(binDir, tempDir, adminUrl);
            await cluster.InitAsync(password, port);
            await cluster.StartAgainAsync();
            return cluster;
        }
        catch
        {
            Directory.Delete(tempDir, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// A hot-standby streaming replica of this cluster: <c>pg_basebackup -R</c> into a new folder, started on
    /// its own free port. Its roles and passwords are the primary's.
    /// </summary>
    public async Task<LocalPostgresCluster> StartReplicaAsync()
    {
        var tempDir = Directory.CreateTempSubdirectory("x402-pg-replica-").FullName;
        try
        {
            var port = FreePort.Next();
            var replica = new LocalPostgresCluster(_binDir, tempDir, (PostgresUrl.Parse(AdminUrl) with { Port = port }).ToString());
            if (RunAsPostgresUser)
            {
                await RunToCompletionAsync("chown", "-R", $"{OsUser}:{OsUser}", tempDir);
            }

            // -R writes standby.signal and primary_conninfo; -X stream copies the WAL made meanwhile.
            await replica.RunAsync("pg_basebackup", "-D", replica.DataDir, "-d", AdminUrl, "-R", "-X", "stream", "-c", "fast", "--no-sync");
            await File.AppendAllLinesAsync(
                Path.Combine(replica.DataDir, "postgresql.conf"), [$"port = {port}", $"unix_socket_directories = '{tempDir}'", "hot_standby = on"]);
            await replica.StartAgainAsync();
            return replica;
        }
        catch
        {
            Directory.Delete(tempDir, recursive: true);
            throw;
        }
    }

    public async Task StopAsync()
    {
        await RunAsync("pg_ctl", "-D", DataDir, "-m", "fast", "-w", "stop");
        _running = false;
    }

    public async Task StartAgainAsync()
    {
        try
        {
            await RunAsync("pg_ctl", "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "start");
        }
        catch (InvalidOperationException error)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no server log)";
            throw new InvalidOperationException($"{error.Message}\nServer log:\n{log}", error);
        }

        _running = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running)
            {
                await StopAsync();
            }
        }
        finally
        {
            Directory.Delete(_tempDir, recursive: true);
        }
    }

    private static string FindNewestBinDir()
    {
        var newest = Directory.Exists(InstallRoot)
            ? Directory.GetDirectories(InstallRoot)
                .Where(dir => int.TryParse(Path.GetFileName(dir), out _) && File.Exists(Path.Combine(dir, "bin", "initdb")))
                .MaxBy(dir => int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture))
            : null;
        return newest is null
            ? throw new FileNotFoundException(
                $"No PostgreSQL binaries under {InstallRoot}/*/bin: run deploy/setup.sh (installs postgresql), " +
                "set TEST_DATABASE_URL, or run a Docker engine.")
            : Path.Combine(newest, "bin");
    }

    private async Task InitAsync(string password, int port)
    {
        var passwordFile = Path.Combine(_tempDir, "superuser-password");
        await File.WriteAllTextAsync(passwordFile, password);
        if (RunAsPostgresUser)
        {
            await RunToCompletionAsync("chown", "-R", $"{OsUser}:{OsUser}", _tempDir);
        }

        await RunAsync("initdb", "-D", DataDir, "-U", Superuser, "--pwfile", passwordFile, "--auth", "scram-sha-256",
            "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions");
        File.Delete(passwordFile);

        // Appended settings override initdb's defaults; the file keeps its owner (postgres).
        string[] settings =
        [
            "listen_addresses = '127.0.0.1'",
            $"port = {port}",
            $"unix_socket_directories = '{_tempDir}'",
            .. PostgresSettings.ForTests,
        ];
        await File.AppendAllLinesAsync(Path.Combine(DataDir, "postgresql.conf"), settings);
    }

    private Task RunAsync(string tool, params string[] arguments)
    {
        var toolPath = Path.Combine(_binDir, tool);
        return RunAsPostgresUser
            ? RunToCompletionAsync("runuser", ["-u", OsUser, "--", toolPath, .. arguments])
            : RunToCompletionAsync(toolPath, arguments);
    }

    private async Task RunToCompletionAsync(string fileName, params string[] arguments)
    {
        // The temp dir as working directory: root's home is not readable by the postgres user.
        await using var process = ChildProcess.Start(fileName, arguments, workingDirectory: _tempDir);
        var exitCode = await process.WaitForExitAsync(CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with code {exitCode}:\n{process.Output}");
        }
    }
}
