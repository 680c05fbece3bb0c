using Microsoft.Net.Http.Headers;

namespace Query.Api.Caching;

/// <summary>
/// Writes a <see cref="CachedAnswer"/> as JSON with its ETag, or answers 304 Not Modified with no body when
/// If-None-Match names it (weak comparison, RFC 9110 §13.1.2: the 304 repeats the tag as the client holds it).
/// Cache-Control is no-cache: a client or proxy may keep the answer but asks again each time, so a commit
/// reaches it exactly as it reaches every other request, and asking again costs a 304 served from memory.
/// </summary>
public sealed class CachedJsonResult(CachedAnswer answer) : IResult
{
    public const string CacheControl = "no-cache";
    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = CacheControl;
        if (answer.Next is not null)
        {
            response.Headers.Link = $"<{answer.Next}>; rel=\"next\"";
        }

        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && Matches(ifNoneMatch) is { } heldTag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.Headers.ETag = heldTag;
            return;
        }

        response.Headers.ETag = answer.StrongTag;
        if (context.Request.Headers.AcceptEncoding.Count > 0)
        {
            // Only the compression middleware, further out, knows whether it compresses: it has set Content-Encoding by the time headers go out.
            response.OnStarting(WeakenIfCompressed, (response, answer));
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    /// <returns>The tag to send with a 304 (weak if the client holds the weak one), or null when nothing matches or the header is malformed.</returns>
    private string? Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch)
    {
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return null;
        }

        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(answer.ETag, useStrongComparison: false))
            {
                return tag.IsWeak ? answer.WeakTag : answer.StrongTag;
            }
        }

        return null;
    }

    private static Task WeakenIfCompressed(object state)
    {
        var (response, answer) = ((HttpResponse, CachedAnswer))state;
        if (response.Headers.ContentEncoding.Count > 0)
        {
            response.Headers.ETag = answer.WeakTag;
        }

        return Task.CompletedTask;
    }
}
