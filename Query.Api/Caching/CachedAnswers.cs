using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Query.Api.Caching;

/// <summary>
/// Answers an endpoint's request from the <see cref="AnswerCache"/> of the current data version, reading
/// and serializing it once per version otherwise. Objects are serialized with the app's JSON options,
/// so the bytes are exactly what returning the object would have written. Each answer's ETag is computed
/// with it, once (<see cref="CachedAnswer"/>), and the result answers a matching If-None-Match with 304.
/// </summary>
public sealed class CachedAnswers(AnswerCache cache, DataVersionProbe versions, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime)
{
    /// <param name="request">The endpoint and its normalized parameters: equal requests get equal answers within a version.</param>
    /// <returns>The answer with its ETag, or 304 when the request's If-None-Match holds that tag (see <see cref="CachedJsonResult"/>).</returns>
    public async Task<IResult> GetAsync<T>(string request, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        new CachedJsonResult(await AnswerAsync(
            request,
            async token => new CachedAnswer(JsonSerializer.SerializeToUtf8Bytes(await read(token), json.Value.SerializerOptions)),
            Admission.FirstRead,
            cancellationToken));

    /// <summary>
    /// As <see cref="GetAsync{T}"/> for one resource among very many, which may not exist ("does not exist" is
    /// kept too), kept from the second read of its request on (<see cref="Admission.SecondRead"/>).
    /// </summary>
    /// <param name="read">Reads the answer as JSON; null when the resource does not exist.</param>
    /// <returns>The answer, or null when the resource does not exist.</returns>
    public async Task<IResult?> FindAsync(string request, Func<CancellationToken, Task<byte[]?>> read, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(
            request,
            async token => await read(token) is { } body ? new CachedAnswer(body) : CachedAnswer.Missing,
            Admission.SecondRead,
            cancellationToken);
        return answer.IsMissing ? null : new CachedJsonResult(answer);
    }

    /// <summary>
    /// As <see cref="GetAsync{T}"/> for one page of a list: the next page's URL is kept with the answer and
    /// sent as its Link header (RFC 8288).
    /// </summary>
    public async Task<IResult> GetPageAsync<T>(string request, Func<CancellationToken, Task<ListPage<T>>> read, CancellationToken cancellationToken) =>
        new CachedJsonResult(await AnswerAsync(
            request,
            async token =>
            {
                var page = await read(token);
                return new CachedAnswer(JsonSerializer.SerializeToUtf8Bytes(page.Items, json.Value.SerializerOptions), page.Next);
            },
            Admission.FirstRead,
            cancellationToken));

    private async Task<CachedAnswer> AnswerAsync(
        string request, Func<CancellationToken, Task<CachedAnswer>> read, Admission admission, CancellationToken cancellationToken)
    {
        var version = await versions.CurrentAsync(cancellationToken);
        return await cache.GetOrReadAsync(new AnswerKey(version, request), read, admission, lifetime.ApplicationStopped, cancellationToken);
    }
}
