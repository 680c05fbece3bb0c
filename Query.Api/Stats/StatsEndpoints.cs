using System.ComponentModel;
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
            await answers.GetAsync("/stats", token => CountAsync(database, token), cancellationToken))
            .WithName("getStats")
            .WithTags("Workflows")
            .WithSummary("Workflow counts by status")
            .WithDescription("How many workflows the observer holds, in total and by status.")
            .Produces<WorkflowStats>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<WorkflowStats> CountAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<WorkflowStats>(new CommandDefinition(CountByStatus, cancellationToken: cancellationToken));
    }
}

[Description("Workflow counts; total is the sum of the four statuses.")]
public sealed record WorkflowStats(
    [property: Description("Every workflow observed.")] long Total,
    [property: Description("Workflows not yet completed, failed or rejected.")] long Running,
    [property: Description("Workflows that completed.")] long Completed,
    [property: Description("Workflows that failed (not by rejection).")] long Failed,
    [property: Description("Workflows whose decision was negative.")] long Rejected);
