using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Query.Api.Caching;

/// <summary>
/// Answers an endpoint's request from the <see cref="AnswerCache"/> of the current data version, reading
/// and serializing it once per version otherwise. Objects are serialized with the app's JSON options,
/// so the bytes are exactly what returning the object would have written.
/// </summary>
public sealed class CachedAnswers(AnswerCache cache, DataVersionProbe versions, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Stands for "no such resource" in the cache: every JSON answer has at least two bytes.</summary>
    private static readonly byte[] Missing = [];

    /// <param name="request">The endpoint and its normalized parameters: equal requests get equal answers within a version.</param>
    public async Task<IResult> GetAsync<T>(string request, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        Results.Bytes(
            await BodyAsync(request, async token => JsonSerializer.SerializeToUtf8Bytes(await read(token), json.Value.SerializerOptions), cancellationToken),
            JsonContentType);

    /// <summary>As <see cref="GetAsync{T}"/> for a resource that may not exist; "does not exist" is kept too.</summary>
    /// <param name="read">Reads the answer as JSON; null when the resource does not exist.</param>
    /// <returns>The answer, or null when the resource does not exist.</returns>
    public async Task<IResult?> FindAsync(string request, Func<CancellationToken, Task<byte[]?>> read, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(request, async token => await read(token) ?? Missing, cancellationToken);
        return body.Length == 0 ? null : Results.Bytes(body, JsonContentType);
    }

    /// <summary>
    /// As <see cref="GetAsync{T}"/> for one page of a list: the next page's URL is kept with the body (ahead
    /// of it, as a 2-byte length and the URL in UTF-8) and sent as the answer's Link header.
    /// </summary>
    public async Task<IResult> GetPageAsync<T>(string request, Func<CancellationToken, Task<ListPage<T>>> read, CancellationToken cancellationToken)
    {
        var stored = await BodyAsync(request, async token => WithNext(await read(token)), cancellationToken);
        var nextLength = BinaryPrimitives.ReadUInt16BigEndian(stored);
        var next = nextLength == 0 ? null : Encoding.UTF8.GetString(stored, 2, nextLength);
        return new PageResult(stored.AsMemory(2 + nextLength), next);
    }

    private byte[] WithNext<T>(ListPage<T> page)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(page.Items, json.Value.SerializerOptions);
        var next = Encoding.UTF8.GetBytes(page.Next ?? string.Empty);
        var stored = new byte[2 + next.Length + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(stored, checked((ushort)next.Length));
        next.CopyTo(stored, 2);
        body.CopyTo(stored, 2 + next.Length);
        return stored;
    }

    private async Task<byte[]> BodyAsync(string request, Func<CancellationToken, Task<byte[]>> read, CancellationToken cancellationToken)
    {
        var version = await versions.CurrentAsync(cancellationToken);
        return await cache.GetOrReadAsync(new AnswerKey(version, request), read, lifetime.ApplicationStopped, cancellationToken);
    }

    private sealed class PageResult(ReadOnlyMemory<byte> body, string? next) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (next is not null)
            {
                httpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            }

            return Results.Bytes(body, JsonContentType).ExecuteAsync(httpContext);
        }
    }
}
