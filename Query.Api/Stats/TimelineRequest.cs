using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Query.Api.Workflows;

namespace Query.Api.Stats;

/// <summary>
/// GET /stats/timeline query, as text until validated. <c>bucket</c>: hour (default) or day, whole UTC hours
/// or days of block time. <c>from</c>, <c>to</c>: unix seconds, inclusive; the answer has every bucket from
/// the one holding <c>from</c> to the one holding <c>to</c>, at most <see cref="MaxBuckets"/>.
/// </summary>
public sealed record TimelineRequest(
    [property: FromQuery(Name = "bucket")] string? Bucket,
    [property: FromQuery(Name = "from")] string? From,
    [property: FromQuery(Name = "to")] string? To)
{
    public const int MaxBuckets = 1000;

    /// <summary>Buckets when <c>from</c> or <c>to</c> is missing: a day of hours, or thirty days.</summary>
    public const int DefaultHours = 24, DefaultDays = 30;

    public static readonly IReadOnlyDictionary<string, long> BucketSeconds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["hour"] = 3600,
        ["day"] = 86_400,
    };

    /// <summary>The buckets this request asks for, once validated.</summary>
    public TimelineSpan ToSpan()
    {
        var name = Bucket?.ToLowerInvariant() ?? "hour";
        var size = BucketSeconds[name];
        var defaultCount = name == "hour" ? DefaultHours : DefaultDays;
        return (From, To) switch
        {
            (null, null) => new TimelineSpan(name, size, null, defaultCount),
            ({ } from, null) => new TimelineSpan(name, size, StartOf(from, size), defaultCount),
            (null, { } to) => Ending(name, size, StartOf(to, size), defaultCount),
            ({ } from, { } to) => new TimelineSpan(name, size, StartOf(from, size), (int)CountBetween(from, to, size)),
        };
    }

    public static long CountBetween(string from, string to, long size) => ((StartOf(to, size) - StartOf(from, size)) / size) + 1;

    private static long StartOf(string unixSeconds, long size) => QueryValues.WholeNumber(unixSeconds) / size * size;

    private static TimelineSpan Ending(string name, long size, long lastStart, int count)
    {
        var firstStart = Math.Max(0, lastStart - ((count - 1) * size));
        return new TimelineSpan(name, size, firstStart, (int)(((lastStart - firstStart) / size) + 1));
    }
}

/// <summary>
/// <paramref name="Count"/> consecutive buckets of <paramref name="Seconds"/> from <paramref name="FirstStart"/>;
/// null when neither from nor to was given: then the last bucket is the one holding the newest indexed
/// event's block time (the database's "now", so a stalled chain still shows its last activity).
/// </summary>
public sealed record TimelineSpan(string Bucket, long Seconds, long? FirstStart, int Count)
{
    public string CacheKey => FirstStart is { } first
        ? string.Create(CultureInfo.InvariantCulture, $"/stats/timeline?bucket={Bucket}&first={first}&count={Count}")
        : $"/stats/timeline?bucket={Bucket}";
}

public sealed class TimelineRequestValidator : AbstractValidator<TimelineRequest>
{
    public TimelineRequestValidator()
    {
        RuleFor(request => request.Bucket)
            .Must(bucket => TimelineRequest.BucketSeconds.ContainsKey(bucket!))
            .When(request => request.Bucket is not null)
            .OverridePropertyName("bucket")
            .WithMessage("bucket must be hour or day.");

        RuleFor(request => request.From)
            .Must(QueryValues.IsUnixSeconds)
            .When(request => request.From is not null)
            .OverridePropertyName("from")
            .WithMessage($"from must be unix seconds: a whole number from 0 to {QueryValues.MaxUnixSeconds}.");

        RuleFor(request => request.To)
            .Must(QueryValues.IsUnixSeconds)
            .When(request => request.To is not null)
            .OverridePropertyName("to")
            .WithMessage($"to must be unix seconds: a whole number from 0 to {QueryValues.MaxUnixSeconds}.");

        RuleFor(request => request.To)
            .Must((request, to) => !IsBefore(to!, request.From!))
            .When(BothTimesValid)
            .OverridePropertyName("to")
            .WithMessage("to must not be before from.");

        // Named under both parameters: either may be the one to move.
        foreach (var parameter in new[] { "from", "to" })
        {
            RuleFor(request => request)
                .Must(request => TimelineRequest.CountBetween(request.From!, request.To!, Seconds(request)) <= TimelineRequest.MaxBuckets)
                .When(request => BothTimesValid(request) && !IsBefore(request.To!, request.From!)
                                 && (request.Bucket is null || TimelineRequest.BucketSeconds.ContainsKey(request.Bucket)))
                .OverridePropertyName(parameter)
                .WithMessage($"from and to span more than {TimelineRequest.MaxBuckets} buckets; narrow them or use a larger bucket.");
        }
    }

    private static bool BothTimesValid(TimelineRequest request) => QueryValues.IsUnixSeconds(request.From) && QueryValues.IsUnixSeconds(request.To);

    private static bool IsBefore(string to, string from) => QueryValues.WholeNumber(to) < QueryValues.WholeNumber(from);

    private static long Seconds(TimelineRequest request) => TimelineRequest.BucketSeconds[request.Bucket ?? "hour"];
}
