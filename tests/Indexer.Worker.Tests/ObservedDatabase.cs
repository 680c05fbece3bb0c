using Dapper;
using ServiceDefaults.Configuration;
using Migrations.Schema;
using Npgsql;
using TestSupport;

namespace Indexer.Worker.Tests;

/// <summary>A fresh, migrated database on the shared test server, and the queries the tests assert with.</summary>
public sealed class ObservedDatabase
{
    private const string ProjectionRows = """
        SELECT row_to_json(w)::text FROM (SELECT * FROM workflow_state ORDER BY workflow_id) w
        """;

    private const string EventLogRows = """
        SELECT row_to_json(e)::text FROM (
            SELECT id, chain_id, contract_address, workflow_id, event_type, payload, block_number, transaction_index,
                   log_index, tx_hash, tx_sender, block_hash, block_timestamp
            FROM chain_event ORDER BY block_number, transaction_index, log_index) e
        """;

    private ObservedDatabase(string url, string readerUrl)
    {
        Url = url;
        ReaderUrl = readerUrl;
    }

    /// <summary>Owner URL, for the worker.</summary>
    public string Url { get; }

    /// <summary>A SELECT-only login role (member of x402_reader), for the API.</summary>
    public string ReaderUrl { get; }

    public static async Task<ObservedDatabase> CreateAsync(bool migrate = true) =>
        await CreateAsync(await SharedPostgres.GetAsync(), migrate);

    /// <summary>A fresh database on <paramref name="server"/>, for tests that stop their own server.</summary>
    public static async Task<ObservedDatabase> CreateAsync(PostgresServer server, bool migrate = true)
    {
        var url = await server.CreateDatabaseAsync();
        if (migrate)
        {
            var result = new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migrations failed: {result.Error?.Message}");
            }
        }

        var readerUrl = migrate
            ? await server.CreateLoginRoleAsync("x402_api", "api-test-password", url, "x402_reader")
            : url;
        return new ObservedDatabase(url, readerUrl);
    }

    /// <summary>A database prepared by the caller: the worker logs in with <paramref name="url"/>, the API with <paramref name="readerUrl"/>.</summary>
    public static ObservedDatabase At(string url, string readerUrl) => new(url, readerUrl);

    public async Task<long?> LastIngestedBlockAsync()
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT last_block FROM sync_checkpoint WHERE id = 1");
    }

    public async Task<DateTime?> ReplayFinishedAtAsync()
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<DateTime?>(
            "SELECT replay_finished_at FROM indexer_status WHERE id = 1 AND replay_state = 'done'");
    }

    public async Task<IReadOnlyList<string>> ProjectionAsync()
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<string>(ProjectionRows)).AsList();
    }

    public async Task<IReadOnlyList<string>> EventLogAsync()
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<string>(EventLogRows)).AsList();
    }

    public async Task<string?> TextAsync(string sql, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<string?>(sql, parameters);
    }

    public async Task<IReadOnlyList<string>> TextsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<string>(sql)).AsList();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public async Task<StoredProofRow?> DeterminismProofAsync()
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<StoredProofRow>("""
            SELECT covered_block AS CoveredBlock, event_count AS EventCount, event_log_hash AS EventLogHash,
                   workflow_count AS WorkflowCount, projection_hash AS ProjectionHash, computed_at AS ComputedAt
            FROM determinism_proof WHERE id = 1
            """);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<T>(sql)).AsList();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(DatabaseUrl.Parse(Url).ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>A determinism_proof row.</summary>
public sealed record StoredProofRow(
    long? CoveredBlock, long EventCount, string EventLogHash, long WorkflowCount, string ProjectionHash, DateTime ComputedAt);
