using Dapper;
using Npgsql;

namespace Indexer.Worker.EventLog;

/// <summary>The single row saying how far the event log reaches; advanced only with the events it covers.</summary>
public static class CheckpointStore
{
    private const string Select = """
        SELECT chain_id AS ChainId, contract_address AS ContractAddress, start_block AS StartBlock,
               last_block AS LastBlock, last_block_hash AS LastBlockHash, event_count AS EventCount
        FROM sync_checkpoint
        WHERE id = 1
        """;

    private const string InsertFirst = """
        INSERT INTO sync_checkpoint (id, chain_id, contract_address, start_block, last_block)
        VALUES (1, @ChainId, @ContractAddress, @StartBlock, @StartBlock - 1)
        ON CONFLICT (id) DO NOTHING
        """;

    // The guard on last_block makes a second, unexpected writer fail loudly instead of interleaving.
    private const string Advance = """
        UPDATE sync_checkpoint
        SET last_block = @LastBlock, last_block_hash = @LastBlockHash,
            event_count = event_count + @NewEvents, updated_at = now()
        WHERE id = 1 AND last_block = @ExpectedLastBlock
        """;

    private const string Rewind = """
        UPDATE sync_checkpoint
        SET last_block = @Ancestor, last_block_hash = @AncestorHash,
            event_count = event_count - @OrphanedEvents, updated_at = now()
        WHERE id = 1 AND last_block = @ExpectedLastBlock
        """;

    public static Task<Checkpoint?> GetAsync(NpgsqlConnection connection) =>
        connection.QuerySingleOrDefaultAsync<Checkpoint>(Select);

    /// <summary>Creates the checkpoint on first start, then returns the stored one.</summary>
    public static async Task<Checkpoint> GetOrCreateAsync(NpgsqlConnection connection, long chainId, string contractAddress, long startBlock)
    {
        await connection.ExecuteAsync(InsertFirst, new { ChainId = chainId, ContractAddress = contractAddress, StartBlock = startBlock });
        return await GetAsync(connection) ?? throw new CheckpointConflictException("The checkpoint row vanished after it was created.");
    }

    /// <exception cref="CheckpointConflictException">The checkpoint is not where this writer left it.</exception>
    public static Task AdvanceAsync(
        NpgsqlConnection connection, long expectedLastBlock, long lastBlock, string lastBlockHash, int newEvents) =>
        MoveAsync(expectedLastBlock, connection.ExecuteAsync(Advance, new
        {
            ExpectedLastBlock = expectedLastBlock,
            LastBlock = lastBlock,
            LastBlockHash = lastBlockHash,
            NewEvents = newEvents,
        }));

    /// <summary>Moves the checkpoint back to a reorg's common ancestor, less the events orphaned above it.</summary>
    /// <exception cref="CheckpointConflictException">The checkpoint is not where this writer left it.</exception>
    public static Task RewindAsync(NpgsqlConnection connection, long expectedLastBlock, long ancestor, string? ancestorHash, int orphanedEvents) =>
        MoveAsync(expectedLastBlock, connection.ExecuteAsync(Rewind, new
        {
            ExpectedLastBlock = expectedLastBlock,
            Ancestor = ancestor,
            AncestorHash = ancestorHash,
            OrphanedEvents = orphanedEvents,
        }));

    private static async Task MoveAsync(long expectedLastBlock, Task<int> rowsMoved)
    {
        if (await rowsMoved != 1)
        {
            throw new CheckpointConflictException(
                $"The checkpoint moved away from block {expectedLastBlock} under this worker: is another worker writing?");
        }
    }
}

public sealed record Checkpoint(
    long ChainId, string ContractAddress, long StartBlock, long LastBlock, string? LastBlockHash, long EventCount);

public sealed class CheckpointConflictException(string message) : Exception(message);
