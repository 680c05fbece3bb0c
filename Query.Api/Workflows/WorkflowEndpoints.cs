using FluentValidation;
using Query.Api.Caching;

namespace Query.Api.Workflows;

public static class WorkflowEndpoints
{
    public static void MapWorkflows(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workflows", async (
            [AsParameters] WorkflowListRequest request,
            IValidator<WorkflowListRequest> validator,
            WorkflowQueries queries,
            CachedAnswers answers,
            CancellationToken cancellationToken) =>
        {
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var page = request.ToPage();
            return await answers.GetPageAsync(page.CacheKey, token => queries.ListAsync(page, token), cancellationToken);
        })
            .WithName("listWorkflows")
            .WithTags("Workflows")
            .WithSummary("List workflows, newest first, with filters and keyset paging")
            .WithDescription(
                "Workflows ordered by the position of their first event, newest first: a total, stable order. When more rows exist, " +
                "the Link header's rel=\"next\" URL holds an opaque cursor; following it walks the whole list with no workflow repeated or skipped.")
            .Produces<IReadOnlyList<WorkflowSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/workflows/{id}", async (
            string id,
            IValidator<WorkflowIdRequest> validator,
            WorkflowLookup lookup,
            CachedAnswers answers,
            CancellationToken cancellationToken) =>
        {
            var request = new WorkflowIdRequest(id);
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var workflowId = request.Normalized;
            var workflow = await answers.FindAsync(
                "/workflows/" + workflowId, token => lookup.FindAsync(workflowId, token), cancellationToken);
            return workflow ?? Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Workflow not found",
                detail: $"No workflow {workflowId} has been observed.");
        })
            .WithName("getWorkflow")
            .WithTags("Workflows")
            .WithSummary("One workflow with its timeline")
            .WithDescription("The workflow's derived state, its decisions and settlements, every event of its timeline with chain metadata, and any anomalies.")
            .Produces<WorkflowDetail>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
