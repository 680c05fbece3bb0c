using System.Globalization;
using System.Numerics;
using Simulator.Bulk;

namespace Benchmark.Database;

/// <summary>Compares a database with the generator's expected result: workflows per status, events per type, settled total.</summary>
public static class ExpectedResultCheck
{
    private const string StatusCountsSql = "SELECT status, count(*) FROM workflow_state GROUP BY status";
    private const string EventTypeCountsSql = "SELECT event_type, count(*) FROM chain_event GROUP BY event_type";
    private const string ProjectionSettledSql = "SELECT coalesce(sum(settled_total), 0)::text FROM workflow_state";

    private const string LogSettledSql = """
        SELECT coalesce(sum((payload->>'amount')::numeric), 0)::text
        FROM chain_event
        WHERE event_type = 'PAYMENT_EXECUTED'
        """;

    /// <returns>The differences, one line each; empty when the database holds exactly the expected result.</returns>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(BenchDatabase database, BulkResult expected, CancellationToken cancellationToken)
    {
        var statuses = await CountsAsync(database, StatusCountsSql, cancellationToken);
        var types = await CountsAsync(database, EventTypeCountsSql, cancellationToken);
        var differences = new List<string>();
        var counts = expected.Expected;
        Compare("workflows", counts.Total, statuses.Values.Sum());
        Compare("running", counts.Running, statuses.GetValueOrDefault("running"));
        Compare("completed", counts.Completed, statuses.GetValueOrDefault("completed"));
        Compare("failed", counts.Failed, statuses.GetValueOrDefault("failed"));
        Compare("rejected", counts.Rejected, statuses.GetValueOrDefault("rejected"));
        foreach (var (type, count) in expected.Totals.EventsByType)
        {
            Compare(type, count, types.GetValueOrDefault(type));
        }

        Compare("events", expected.Totals.Events, types.Values.Sum());
        var settled = expected.Totals.SettledTotal;
        Compare("settled total (workflow_state)", settled, await SumAsync(database, ProjectionSettledSql, cancellationToken));
        Compare("settled total (chain_event)", settled, await SumAsync(database, LogSettledSql, cancellationToken));
        return differences;

        void Compare<T>(string what, T wanted, T found)
            where T : IEquatable<T>
        {
            if (!wanted.Equals(found))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {wanted}, found {found}"));
            }
        }
    }

    private static async Task<Dictionary<string, long>> CountsAsync(BenchDatabase database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static async Task<BigInteger> SumAsync(BenchDatabase database, string sql, CancellationToken cancellationToken) =>
        BigInteger.Parse(await database.ScalarAsync<string>(sql, cancellationToken) ?? "0", CultureInfo.InvariantCulture);
}
