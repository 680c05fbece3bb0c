using FluentValidation;

namespace Query.Api.Workflows;

public static class WorkflowEndpoints
{
    public static void MapWorkflows(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workflows", async (
            [AsParameters] WorkflowListRequest request,
            IValidator<WorkflowListRequest> validator,
            WorkflowQueries queries,
            CancellationToken cancellationToken) =>
        {
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            return Results.Ok(await queries.ListAsync(request.LimitValue, request.OffsetValue, cancellationToken));
        });

        app.MapGet("/workflows/{id}", async (
            string id,
            IValidator<WorkflowIdRequest> validator,
            WorkflowQueries queries,
            CancellationToken cancellationToken) =>
        {
            var request = new WorkflowIdRequest(id);
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var workflow = await queries.FindAsync(request.Normalized, cancellationToken);
            return workflow is null
                ? Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Workflow not found",
                    detail: $"No workflow {request.Normalized} has been observed.")
                : Results.Ok(workflow);
        });
    }
}
