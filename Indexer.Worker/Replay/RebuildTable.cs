using System.Text.RegularExpressions;
using Npgsql;

namespace Indexer.Worker.Replay;

/// <summary>
/// The table a replay fills: made like workflow_state but without its indexes, so the COPY only appends
/// rows, and given the same indexes afterwards, each built in one pass over the finished table (several
/// times cheaper than maintaining them row by row). The swap then gives them the live names back.
/// </summary>
internal static partial class RebuildTable
{
    public const string Name = "workflow_state_rebuild";

    private const string Create = """
        DROP TABLE IF EXISTS workflow_state_rebuild;
        CREATE TABLE workflow_state_rebuild (LIKE workflow_state INCLUDING ALL EXCLUDING INDEXES);
        """;

    // Constraints that own an index (the primary key) come back as constraints, the other indexes as they are.
    private const string IndexesOfLive = """
        SELECT 'ALTER TABLE workflow_state_rebuild ADD ' || pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = 'workflow_state'::regclass AND c.contype IN ('p', 'u', 'x')
        UNION ALL
        SELECT pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = 'workflow_state'::regclass
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """;

    public static Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, Create, cancellationToken);

    /// <summary>Builds on the filled table every index workflow_state has.</summary>
    public static async Task AddIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        await using (var command = new NpgsqlCommand(IndexesOfLive, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // The catalog's own DDL for our own table; the index is named by PostgreSQL, renamed by the swap.
                statements.Add(IndexOnLive().Replace(reader.GetString(0), $"CREATE $1INDEX ON {Name} "));
            }
        }

        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ")]
    private static partial Regex IndexOnLive();
}
