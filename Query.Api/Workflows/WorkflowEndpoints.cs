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
        });

        app.MapGet("/workflows/{id}", async (
            string id,
            IValidator<WorkflowIdRequest> validator,
            WorkflowQueries queries,
            CachedAnswers answers,
            CancellationToken cancellationToken) =>
        {
            var request = new WorkflowIdRequest(id);
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var workflow = await answers.FindAsync(
                "/workflows/" + request.Normalized, token => queries.FindAsync(request.Normalized, token), cancellationToken);
            return workflow ?? Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Workflow not found",
                detail: $"No workflow {request.Normalized} has been observed.");
        });
    }
}
