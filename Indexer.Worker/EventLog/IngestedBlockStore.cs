using Dapper;
using Indexer.Worker.Chain;
using Npgsql;

namespace Indexer.Worker.EventLog;

/// <summary>The blocks the event log stands on, with the hashes the node gave when they were ingested.</summary>
public static class IngestedBlockStore
{
    private const string Add = """
        INSERT INTO ingested_block (block_number, block_hash, parent_hash)
        SELECT * FROM unnest(@Numbers, @Hashes, @Parents)
        ON CONFLICT (block_number) DO NOTHING
        """;

    private const string SelectAtOrBelow = """
        SELECT block_number AS Number, block_hash AS Hash
        FROM ingested_block
        WHERE block_number <= @Block
        ORDER BY block_number DESC
        LIMIT @Limit
        """;

    private const string DeleteAbove = "DELETE FROM ingested_block WHERE block_number > @Block";

    public static Task AddAsync(NpgsqlConnection connection, IReadOnlyList<ChainBlock> blocks, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            Add,
            new
            {
                Numbers = blocks.Select(block => block.Number).ToArray(),
                Hashes = blocks.Select(block => block.Hash).ToArray(),
                Parents = blocks.Select(block => block.ParentHash).ToArray(),
                cancellationToken,
            });

    /// <summary>The highest ingested blocks at or below <paramref name="block"/>, newest first.</summary>
    public static async Task<IReadOnlyList<StoredBlock>> AtOrBelowAsync(NpgsqlConnection connection, long block, int limit) =>
        (await connection.QueryAsync<StoredBlock>(SelectAtOrBelow, new { Block = block, Limit = limit })).AsList();

    public static Task DeleteAboveAsync(NpgsqlConnection connection, long block) =>
        connection.ExecuteAsync(DeleteAbove, new { Block = block });
}

public sealed record StoredBlock(long Number, string Hash);
