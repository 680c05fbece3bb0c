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

    private async Task<byte[]> BodyAsync(string request, Func<CancellationToken, Task<byte[]>> read, CancellationToken cancellationToken)
    {
        var version = await versions.CurrentAsync(cancellationToken);
        return await cache.GetOrReadAsync(new AnswerKey(version, request), read, lifetime.ApplicationStopped, cancellationToken);
    }
}
