using ServiceDefaults.Configuration;
using Npgsql;
using TestSupport;

namespace Benchmark.Database;

/// <summary>A database of the benchmark's own, created fresh and migrated by the Migrations program (as a DBA would run it).</summary>
public sealed class BenchDatabase
{
    private const string DropSql = "SELECT format('DROP DATABASE IF EXISTS %1$I WITH (FORCE)', @name)";
    private const string DropAndCreateSql = "SELECT format('DROP DATABASE IF EXISTS %1$I WITH (FORCE)', @name), format('CREATE DATABASE %1$I', @name)";

    // Run untimed between phases, so that a timed phase does not pay for what the one before it left behind: the vacuum
    // and analyze that autovacuum would start during it, and the dirty buffers.
    private static readonly string[] SettleSql = ["VACUUM (ANALYZE)", "CHECKPOINT"];
    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromMinutes(2);

    private BenchDatabase(string url, string name)
    {
        Url = url;
        Name = name;
        ConnectionString = DatabaseUrl.Parse(url).ConnectionString;
    }

    /// <summary>postgresql:// URL, as the worker and the API take it in DATABASE_URL.</summary>
    public string Url { get; }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateMigratedAsync(string adminUrl, string name, CancellationToken cancellationToken)
    {
        await RunServerStatementsAsync(adminUrl, DropAndCreateSql, name, cancellationToken);
        var database = new BenchDatabase(new UriBuilder(adminUrl) { Path = "/" + name }.Uri.ToString(), name);
        await using var migrations = ChildProcess.StartDotnet(
            RepoLayout.BuiltDll("Migrations"), [], new Dictionary<string, string> { ["DATABASE_URL"] = database.Url });
        if (await migrations.WaitForExitAsync(MigrationTimeout) != 0)
        {
            throw new BenchmarkPhaseException($"Migrations failed on {name}:\n{migrations.Output}");
        }

        return database;
    }

    public static Task DropAsync(string adminUrl, string name, CancellationToken cancellationToken) =>
        RunServerStatementsAsync(adminUrl, DropSql, name, cancellationToken);

    /// <summary>The admin URL's own database, for server-wide questions.</summary>
    public static BenchDatabase Admin(string adminUrl) => new(adminUrl, DatabaseUrl.Parse(adminUrl).Database ?? "postgres");

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken) => ScalarAsync<T>(sql, [], cancellationToken);

    public async Task<T?> ScalarAsync<T>(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Vacuums and analyzes every table, then writes every dirty buffer out (<see cref="SettleSql"/>).</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var sql in SettleSql)
        {
            // A vacuum of the 1M-event database outlasts the default command timeout.
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Runs the DDL statements <paramref name="formatSql"/> makes for <paramref name="name"/>, one a column.</summary>
    private static async Task RunServerStatementsAsync(string adminUrl, string formatSql, string name, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(DatabaseUrl.Parse(adminUrl).ConnectionString);
        await admin.OpenAsync(cancellationToken);
        var statements = new List<string>();
        await using (var format = new NpgsqlCommand(formatSql, admin))
        {
            format.Parameters.AddWithValue("name", name);
            await using var reader = await format.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            for (var column = 0; column < reader.FieldCount; column++)
            {
                statements.Add(reader.GetString(column));
            }
        }

        // DDL takes no parameters: the server quoted the name itself with format(%I).
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
