using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Npgsql;
using NpgsqlTypes;
using Query.Api.Caching;
using Query.Api.Database;

namespace Query.Api.Stats;

/// <summary>GET /stats/timeline: activity per hour or day of block time (UTC), every bucket present, empty ones as zeros.</summary>
public static class TimelineEndpoints
{
    // $1 bucket seconds, $2 first bucket's start (null: the buckets ending with the one holding the newest
    // event's block time, found backwards on chain_event_canonical_order), $3 bucket count. Each measure is
    // a range scan of its own index (migration 0008) over the span only:
    //   started  — started_at, workflow_state_started_at;
    //   ended    — completed_at, the block time of the terminal event, counted by the status it reached,
    //              workflow_state_ended_at;
    //   settled  — the amount of every PaymentExecuted in the event log by its block time (numeric: amounts
    //              exceed 2^64), chain_event_payments_by_time.
    // Bucket i covers [first + i*size, first + (i+1)*size); integer division is exact, times are never negative.
    private const string ActivityPerBucket = """
        WITH span AS (
            SELECT coalesce($2, greatest(0, coalesce(
                       (SELECT block_timestamp FROM chain_event
                        ORDER BY block_number DESC, transaction_index DESC, log_index DESC LIMIT 1),
                       extract(epoch FROM now())::bigint) / $1 - ($3 - 1)) * $1) AS first_start
        ),
        started AS (
            SELECT (started_at - span.first_start) / $1 AS i, count(*) AS workflows
            FROM workflow_state, span
            WHERE started_at >= span.first_start AND started_at < span.first_start + $1 * $3
            GROUP BY 1
        ),
        ended AS (
            SELECT (completed_at - span.first_start) / $1 AS i,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'rejected') AS rejected
            FROM workflow_state, span
            WHERE completed_at >= span.first_start AND completed_at < span.first_start + $1 * $3
            GROUP BY 1
        ),
        settled AS (
            SELECT (block_timestamp - span.first_start) / $1 AS i, sum((payload ->> 'amount')::numeric) AS amount
            FROM chain_event, span
            WHERE event_type = 'PAYMENT_EXECUTED'
              AND block_timestamp >= span.first_start AND block_timestamp < span.first_start + $1 * $3
            GROUP BY 1
        )
        SELECT span.first_start + bucket.i * $1,
               coalesce(started.workflows, 0),
               coalesce(ended.completed, 0),
               coalesce(ended.failed, 0),
               coalesce(ended.rejected, 0),
               coalesce(settled.amount, 0)::text
        FROM span
        CROSS JOIN generate_series(0, $3 - 1) AS bucket (i)
        LEFT JOIN started ON started.i = bucket.i
        LEFT JOIN ended ON ended.i = bucket.i
        LEFT JOIN settled ON settled.i = bucket.i
        ORDER BY bucket.i
        """;

    public static void MapTimeline(this IEndpointRouteBuilder app) =>
        app.MapGet("/stats/timeline", async (
            [AsParameters] TimelineRequest request,
            IValidator<TimelineRequest> validator,
            NpgsqlDataSource database,
            CachedAnswers answers,
            CancellationToken cancellationToken) =>
        {
            var validation = await validator.ValidateAsync(request, cancellationToken);
            if (!validation.IsValid)
            {
                return Results.ValidationProblem(validation.ToDictionary());
            }

            var span = request.ToSpan();
            return await answers.GetAsync(span.CacheKey, token => ReadAsync(database, span, token), cancellationToken);
        })
            .WithName("getTimeline")
            .WithTags("Workflows")
            .WithSummary("Activity per hour or day")
            .WithDescription(
                "Per bucket of block time (UTC hours or days; every bucket present, empty ones as zeros): workflows started, " +
                "workflows reaching each terminal status, and the amount settled. At most 1000 buckets a request.")
            .Produces<Timeline>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    public static SqlStatement TimelineStatement(TimelineSpan span) => new(ActivityPerBucket,
    [
        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = span.Seconds },
        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)span.FirstStart ?? DBNull.Value },
        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = span.Count },
    ]);

    private static async Task<Timeline> ReadAsync(NpgsqlDataSource database, TimelineSpan span, CancellationToken cancellationToken)
    {
        await using var command = TimelineStatement(span).CreateCommand(database);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buckets = new List<TimelineBucket>(span.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new TimelineBucket(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5)));
        }

        return new Timeline(span.Bucket, buckets[0].Start, buckets[^1].Start + span.Seconds - 1, buckets);
    }
}

/// <param name="From">The first bucket's start.</param>
/// <param name="To">The last second of the last bucket (inclusive, like the request's <c>to</c>).</param>
[Description("Activity per bucket of block time.")]
public sealed record Timeline(
    [property: Description("hour or day."), AllowedValues("hour", "day")] string Bucket,
    [property: Description("Start of the first bucket, unix seconds (UTC).")] long From,
    [property: Description("Last second of the last bucket, unix seconds (UTC).")] long To,
    [property: Description("Every bucket from from to to, in order; empty ones as zeros.")] IReadOnlyList<TimelineBucket> Buckets);

/// <param name="Start">Unix seconds, UTC, a whole hour or day.</param>
/// <param name="Started">Workflows whose start's block time falls in the bucket.</param>
/// <param name="Completed">Workflows whose terminal event (here: completion) falls in the bucket; likewise failed and rejected.</param>
/// <param name="Settled">Sum of the amounts of the payments (wei, decimal string) whose block time falls in the bucket.</param>
[Description("One hour or day of activity.")]
public sealed record TimelineBucket(
    [property: Description("Start of the bucket, unix seconds (UTC), a whole hour or day.")] long Start,
    [property: Description("Workflows whose start's block time falls in the bucket.")] long Started,
    [property: Description("Workflows that completed in the bucket.")] long Completed,
    [property: Description("Workflows that failed in the bucket.")] long Failed,
    [property: Description("Workflows rejected in the bucket.")] long Rejected,
    [property: Description("Sum of the payments made in the bucket, in wei, as a decimal string."), RegularExpression("^[0-9]+$")] string Settled);
