using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Query.Api.Workflows;

/// <summary>
/// GET /workflows query. Bound as text and validated here, so that "limit=abc" is a 400 naming
/// the parameter rather than a framework binding failure.
/// </summary>
public sealed record WorkflowListRequest(
    [property: FromQuery(Name = "limit")] string? Limit,
    [property: FromQuery(Name = "offset")] string? Offset)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const long MaxOffset = 1_000_000_000;

    public int LimitValue => Limit is null ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    public long OffsetValue => Offset is null ? 0 : long.Parse(Offset, NumberStyles.None, CultureInfo.InvariantCulture);
}

public sealed class WorkflowListRequestValidator : AbstractValidator<WorkflowListRequest>
{
    public WorkflowListRequestValidator()
    {
        RuleFor(request => request.Limit)
            .Must(limit => IsWholeNumberBetween(limit, 1, WorkflowListRequest.MaxLimit))
            .When(request => request.Limit is not null)
            .OverridePropertyName("limit")
            .WithMessage($"limit must be a whole number from 1 to {WorkflowListRequest.MaxLimit}.");

        RuleFor(request => request.Offset)
            .Must(offset => IsWholeNumberBetween(offset, 0, WorkflowListRequest.MaxOffset))
            .When(request => request.Offset is not null)
            .OverridePropertyName("offset")
            .WithMessage($"offset must be a whole number from 0 to {WorkflowListRequest.MaxOffset}.");
    }

    private static bool IsWholeNumberBetween(string? text, long min, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max;
}

/// <summary>A workflow id: 0x and 64 hex digits (a bytes32), in any letter case.</summary>
public sealed record WorkflowIdRequest(string Id)
{
    public string Normalized => Id.ToLowerInvariant();
}

public sealed class WorkflowIdRequestValidator : AbstractValidator<WorkflowIdRequest>
{
    public WorkflowIdRequestValidator()
    {
        RuleFor(request => request.Id)
            .Matches(@"^0x[0-9a-fA-F]{64}\z")
            .OverridePropertyName("id")
            .WithMessage("id must be 0x followed by 64 hex digits.");
    }
}
