using Dapper;
using Npgsql;
using Query.Api.Caching;

namespace Query.Api.Stats;

public static class StatsEndpoints
{
    // One pass over the status index: read once per data version, never per request.
    private const string CountByStatus = """
        SELECT count(*) AS Total,
               count(*) FILTER (WHERE status = 'running') AS Running,
               count(*) FILTER (WHERE status = 'completed') AS Completed,
               count(*) FILTER (WHERE status = 'failed') AS Failed,
               count(*) FILTER (WHERE status = 'rejected') AS Rejected
        FROM workflow_state
        """;

    public static void MapStats(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats", async (NpgsqlDataSource database, CachedAnswers answers, CancellationToken cancellationToken) =>
            await answers.GetAsync("/stats", token => CountAsync(database, token), cancellationToken));

    private static async Task<WorkflowStats> CountAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<WorkflowStats>(new CommandDefinition(CountByStatus, cancellationToken: cancellationToken));
    }
}

public sealed record WorkflowStats(long Total, long Running, long Completed, long Failed, long Rejected);
