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
    [property: FromQuery(Name = "offset")] string? Offset,
    [property: FromQuery(Name = "cursor")] string? Cursor,
    [property: FromQuery(Name = "status")] string[]? Status,
    [property: FromQuery(Name = "initiator")] string? Initiator,
    [property: FromQuery(Name = "payee")] string? Payee,
    [property: FromQuery(Name = "startedFrom")] string? StartedFrom,
    [property: FromQuery(Name = "startedTo")] string? StartedTo) : IWorkflowFilterQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const long MaxOffset = 1_000_000_000;

    public int LimitValue => Limit is null ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    public long OffsetValue => Offset is null ? 0 : QueryValues.WholeNumber(Offset);

    /// <summary>The page this request asks for, once validated.</summary>
    public WorkflowPageRequest ToPage() =>
        new(LimitValue, OffsetValue, ListCursor.TryDecode(Cursor, out var after) ? after : null, WorkflowFilter.From(this));
}

public sealed class WorkflowListRequestValidator : WorkflowFilterValidator<WorkflowListRequest>
{
    public WorkflowListRequestValidator()
    {
        RuleFor(request => request.Limit)
            .Must(limit => QueryValues.IsWholeNumberBetween(limit, 1, WorkflowListRequest.MaxLimit))
            .When(request => request.Limit is not null)
            .OverridePropertyName("limit")
            .WithMessage($"limit must be a whole number from 1 to {WorkflowListRequest.MaxLimit}.");

        RuleFor(request => request.Offset)
            .Must(offset => QueryValues.IsWholeNumberBetween(offset, 0, WorkflowListRequest.MaxOffset))
            .When(request => request.Offset is not null)
            .OverridePropertyName("offset")
            .WithMessage($"offset must be a whole number from 0 to {WorkflowListRequest.MaxOffset}.");

        RuleFor(request => request.Cursor)
            .Must(cursor => ListCursor.TryDecode(cursor, out _))
            .When(request => request.Cursor is not null)
            .OverridePropertyName("cursor")
            .WithMessage("cursor must be a value taken from a Link header of this API.");

        RuleFor(request => request.Cursor)
            .Null()
            .When(request => request.Offset is not null)
            .OverridePropertyName("cursor")
            .WithMessage("cursor cannot be combined with offset.");
    }
}

/// <summary>A validated GET /workflows request: a page of at most <paramref name="Limit"/> workflows newest first.</summary>
/// <param name="After">Where a keyset page starts (exclusive); null for a page by <paramref name="Offset"/>.</param>
public sealed record WorkflowPageRequest(int Limit, long Offset, ListCursor? After, WorkflowFilter Filter)
{
    /// <summary>The request in normalized form, for the answer cache: equal requests, equal keys.</summary>
    public string CacheKey => After is { } after
        ? string.Create(CultureInfo.InvariantCulture, $"/workflows?limit={Limit}{Filter.QueryString}&cursor={after.Encode()}")
        : string.Create(CultureInfo.InvariantCulture, $"/workflows?limit={Limit}{Filter.QueryString}&offset={Offset}");

    /// <summary>The relative URL of the page after this one, which starts after <paramref name="last"/>: same limit, same filters.</summary>
    public string NextPage(ListCursor last) =>
        string.Create(CultureInfo.InvariantCulture, $"/workflows?limit={Limit}{Filter.QueryString}&cursor={last.Encode()}");
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
            .Must(QueryValues.IsWorkflowId)
            .OverridePropertyName("id")
            .WithMessage("id must be 0x followed by 64 hex digits.");
    }
}
