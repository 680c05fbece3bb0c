using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Query.Api.Workflows;

namespace Query.Api.Streaming;

/// <summary>GET /stream query. Bound as text and validated here, so a bad id is a 400 naming the parameter.</summary>
public sealed record StreamRequest([property: FromQuery(Name = "workflowId")] string? WorkflowId)
{
    /// <summary>The workflow id as stored (lowercase), or null for every workflow.</summary>
    public string? Normalized => WorkflowId?.ToLowerInvariant();
}

public sealed class StreamRequestValidator : AbstractValidator<StreamRequest>
{
    public StreamRequestValidator()
    {
        RuleFor(request => request.WorkflowId)
            .Must(QueryValues.IsWorkflowId)
            .When(request => request.WorkflowId is not null)
            .OverridePropertyName("workflowId")
            .WithMessage("workflowId must be 0x followed by 64 hex digits.");
    }
}
