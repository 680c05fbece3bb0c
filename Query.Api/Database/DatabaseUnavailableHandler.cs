using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Query.Api.Database;

/// <summary>
/// A request that failed because PostgreSQL is down or unreachable answers 503 ProblemDetails, not 500:
/// the request was fine, and the same request will work once the database is back.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (NpgsqlException or TimeoutException))
        {
            return false;
        }

        logger.LogWarning("Database unavailable for {Path}: {Reason}", context.Request.Path, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The database cannot be reached right now; retry shortly.",
            },
        });
    }
}
