using Npgsql;

namespace TestSupport;

/// <summary>
/// A PostgreSQL server for a test run, in this order of preference: TEST_DATABASE_URL when set; a
/// Testcontainers container when a Docker engine answers; else a private cluster of the local binaries.
/// Start it once per test run (see <see cref="SharedPostgres"/>) and give each test its own database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly IPostgresBackend _backend;
    private readonly List<string> _createdDatabases = [];
    private bool _disposed;

    private PostgresServer(IPostgresBackend backend) => _backend = backend;

    /// <summary>URL of a superuser (or at least a role that may create databases and roles).</summary>
    public string AdminUrl => _backend.AdminUrl;

    /// <summary>Which kind of server was picked, for the test log.</summary>
    public string Description => _backend.Description;

    /// <summary>False for the server of TEST_DATABASE_URL: this test run does not own it, so it may not stop it.</summary>
    public bool CanStopAndStartAgain => !_backend.IsShared;

    public static async Task<PostgresServer> StartAsync()
    {
        var givenUrl = Environment.GetEnvironmentVariable("TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(givenUrl))
        {
            return new PostgresServer(new ExternalPostgres(givenUrl));
        }

        if (await ContainerPostgres.DockerAnswersAsync())
        {
            return new PostgresServer(await ContainerPostgres.StartAsync());
        }

        return new PostgresServer(await LocalPostgresCluster.StartAsync());
    }

    /// <summary>A private cluster of the local binaries, whatever TEST_DATABASE_URL or Docker offer: for tests that need its files (replicas).</summary>
    public static async Task<PostgresServer> StartLocalAsync() => new(await LocalPostgresCluster.StartAsync());

    /// <summary>A streaming replica (hot standby, read-only) of this server, which must come from <see cref="StartLocalAsync"/>.</summary>
    public async Task<PostgresServer> StartStreamingReplicaAsync() => _backend is LocalPostgresCluster local
        ? new PostgresServer(await local.StartReplicaAsync())
        : throw new NotSupportedException($"A replica is built from a local cluster's files, not from {Description}.");

    /// <summary>Creates a fresh empty database (a unique name unless given) and returns its URL, with admin credentials.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Guid.NewGuid().ToString("N");
        await ExecuteFormattedAsync("SELECT format('CREATE DATABASE %I', @name)", ("name", name));
        lock (_createdDatabases)
        {
            _createdDatabases.Add(name);
        }

        return (PostgresUrl.Parse(AdminUrl) with { Database = name }).ToString();
    }

    /// <summary>
    /// Creates (or updates the password of) a login role, member of the given roles, and returns a URL
    /// that logs in as it to the database of <paramref name="databaseUrl"/>. Roles are server-wide.
    /// </summary>
    public async Task<string> CreateLoginRoleAsync(string role, string password, string databaseUrl, params string[] memberOf)
    {
        await ExecuteFormattedAsync(
            """
            SELECT format(
                CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)
                     THEN 'ALTER ROLE %I WITH LOGIN PASSWORD %L'
                     ELSE 'CREATE ROLE %I WITH LOGIN PASSWORD %L' END,
                @role, @password)
            """,
            ("role", role), ("password", password));
        foreach (var group in memberOf)
        {
            await ExecuteFormattedAsync("SELECT format('GRANT %I TO %I', @group, @role)", ("group", group), ("role", role));
        }

        return (PostgresUrl.Parse(databaseUrl) with { Username = role, Password = password }).ToString();
    }

    /// <summary>Stops the server (data and port are kept), for "the database goes down" tests.</summary>
    public Task StopAsync() => _backend.StopAsync();

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public async Task StartAgainAsync()
    {
        await _backend.StartAgainAsync();
        // Idle pooled connections died with the old server process; drop them so the next query opens a live one.
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_backend.IsShared)
        {
            await DropCreatedDatabasesAsync();
        }

        await _backend.DisposeAsync();
    }

    private async Task DropCreatedDatabasesAsync()
    {
        foreach (var name in _createdDatabases)
        {
            await ExecuteFormattedAsync("SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', @name)", ("name", name));
        }
    }

    // DDL takes no parameters, so the server quotes names and literals itself with format(%I, %L).
    private async Task ExecuteFormattedAsync(string formatQuery, params (string Name, string Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(PostgresUrl.Parse(AdminUrl).ToConnectionString());
        await connection.OpenAsync();
        await using var format = new NpgsqlCommand(formatQuery, connection);
        foreach (var (name, value) in parameters)
        {
            format.Parameters.AddWithValue(name, value);
        }

        var statement = (string)(await format.ExecuteScalarAsync())!;
        await using var execute = new NpgsqlCommand(statement, connection);
        await execute.ExecuteNonQueryAsync();
    }
}
