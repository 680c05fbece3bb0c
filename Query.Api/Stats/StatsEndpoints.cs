using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Query.Api.Caching;
using Query.Api.Database;
using Query.Api.Workflows;

namespace Query.Api.Stats;

public static class StatsEndpoints
{
    // One pass over the status index without filters (an index-only scan); with filters, over the index
    // the filter's condition uses (WorkflowFilterSql, $1..$5). Read once per data version, never per request.
    private const string CountByStatus = """
        SELECT count(*),
               count(*) FILTER (WHERE status = 'running'),
               count(*) FILTER (WHERE status = 'completed'),
               count(*) FILTER (WHERE status = 'failed'),
               count(*) FILTER (WHERE status = 'rejected')
        FROM workflow_state
        """;

    public static void MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stats", async (
            [AsParameters] StatsRequest request,
            IValidator<StatsRequest> validator,
            NpgsqlDataSource database,
            CachedAnswers answers,
            CancellationToken cancellationToken) =>
        {
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var filter = WorkflowFilter.From(request);
            return await answers.GetAsync("/stats?" + filter.QueryString, token => CountAsync(database, filter, token), cancellationToken);
        })
            .WithName("getStats")
            .WithTags("Workflows")
            .WithSummary("Workflow counts by status")
            .WithDescription("How many workflows the observer holds, in total and by status, among those matching the filters of GET /workflows.")
            .Produces<WorkflowStats>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapTimeline();
    }

    public static SqlStatement CountStatement(WorkflowFilter filter)
    {
        var parameters = new List<NpgsqlParameter>();
        WorkflowFilterSql.AddParameters(parameters, filter);
        return new SqlStatement($"{CountByStatus}\n{WorkflowFilterSql.Where(WorkflowFilterSql.Conditions(filter))}", parameters);
    }

    private static async Task<WorkflowStats> CountAsync(NpgsqlDataSource database, WorkflowFilter filter, CancellationToken cancellationToken)
    {
        await using var command = CountStatement(filter).CreateCommand(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WorkflowStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }
}

[Description("Workflow counts; total is the sum of the four statuses.")]
public sealed record WorkflowStats(
    [property: Description("Every workflow observed.")] long Total,
    [property: Description("Workflows not yet completed, failed or rejected.")] long Running,
    [property: Description("Workflows that completed.")] long Completed,
    [property: Description("Workflows that failed (not by rejection).")] long Failed,
    [property: Description("Workflows whose decision was negative.")] long Rejected);

/// <summary>GET /stats query: the filters of GET /workflows, as text until validated.</summary>
public sealed record StatsRequest(
    [property: FromQuery(Name = "status")] string[]? Status,
    [property: FromQuery(Name = "initiator")] string? Initiator,
    [property: FromQuery(Name = "payee")] string? Payee,
    [property: FromQuery(Name = "startedFrom")] string? StartedFrom,
    [property: FromQuery(Name = "startedTo")] string? StartedTo) : IWorkflowFilterQuery;

public sealed class StatsRequestValidator : WorkflowFilterValidator<StatsRequest>;
