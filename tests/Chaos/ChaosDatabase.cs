using Dapper;
using ServiceDefaults.Configuration;
using Migrations.Schema;
using Npgsql;
using TestSupport;

namespace Chaos;

/// <summary>A migrated database for one worker fleet, and the reads that compare it with another.</summary>
internal sealed class ChaosDatabase(string url)
{
    private const string EventLogRows = """
        SELECT row_to_json(e)::text FROM (
            SELECT id, workflow_id, event_type, payload, block_number, transaction_index, log_index,
                   tx_hash, tx_sender, block_hash, block_timestamp
            FROM chain_event ORDER BY block_number, transaction_index, log_index) e
        """;

    private const string ProjectionRows = "SELECT row_to_json(w)::text FROM (SELECT * FROM workflow_state ORDER BY workflow_id) w";

    private const string Proof = """
        SELECT covered_block AS CoveredBlock, event_log_hash AS EventLogHash, projection_hash AS ProjectionHash
        FROM determinism_proof WHERE id = 1
        """;

    public string Url { get; } = url;

    public static async Task<ChaosDatabase> CreateAsync(PostgresServer server)
    {
        var url = await server.CreateDatabaseAsync();
        var result = new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        return result.Successful ? new ChaosDatabase(url) : throw new InvalidOperationException($"Migrations failed: {result.Error?.Message}");
    }

    public async Task<long?> LastIngestedBlockAsync()
    {
        try
        {
            await using var connection = await OpenAsync();
            return await connection.QuerySingleOrDefaultAsync<long?>("SELECT last_block FROM sync_checkpoint WHERE id = 1");
        }
        catch (NpgsqlException)
        {
            return null; // the database is being restarted
        }
    }

    public async Task<IReadOnlyList<string>> EventLogAsync() => await RowsAsync(EventLogRows);

    public async Task<IReadOnlyList<string>> ProjectionAsync() => await RowsAsync(ProjectionRows);

    public async Task<IReadOnlyList<int>> ReorgDepthsAsync() => await QueryAsync<int>("SELECT depth FROM reorg ORDER BY id");

    public async Task<StoredProof?> ProofAsync()
    {
        await using var connection = await OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<StoredProof>(Proof);
    }

    private async Task<IReadOnlyList<string>> RowsAsync(string sql) => await QueryAsync<string>(sql);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
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

internal sealed record StoredProof(long CoveredBlock, string EventLogHash, string ProjectionHash);
