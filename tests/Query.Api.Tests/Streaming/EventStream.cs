using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// A GET /stream client over real HTTP: parses the text/event-stream as it arrives (as a browser's
/// EventSource does) into <see cref="ServerSentEvent"/>s, comments included, and records them all.
/// </summary>
internal sealed class EventStream : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<ServerSentEvent> _arrived = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly List<ServerSentEvent> _received = [];
    private readonly Task _reading;

    private EventStream(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = ReadAsync();
    }

    /// <summary>Every event and comment read so far, in order.</summary>
    public IReadOnlyList<ServerSentEvent> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Completes when the server ends the stream (or the connection breaks).</summary>
    public Task Ended => _reading;

    /// <summary>Opens a stream; throws with the answer when it is not 200 text/event-stream.</summary>
    public static async Task<EventStream> OpenAsync(Uri api, string pathAndQuery = "stream", string? lastEventId = null)
    {
        var (stream, answer) = await TryOpenAsync(api, pathAndQuery, lastEventId);
        return stream ?? throw new InvalidOperationException($"GET /{pathAndQuery} did not open a stream: {answer}");
    }

    /// <returns>The stream, or null and the answer (status, content type, body) when it was refused.</returns>
    public static async Task<(EventStream? Stream, string Answer)> TryOpenAsync(Uri api, string pathAndQuery = "stream", string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return (new EventStream(http, response), "200 text/event-stream");
        }

        var answer = $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: {await response.Content.ReadAsStringAsync()}";
        response.Dispose();
        http.Dispose();
        return (null, answer);
    }

    /// <summary>The next event or comment not yet taken by this method (or <see cref="TakeUntilAsync"/>).</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _arrived.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s. Received so far:\n{Describe(Received)}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The stream ended. Received:\n{Describe(Received)}");
        }
    }

    /// <summary>Takes events until one matches <paramref name="last"/>; returns them all, that one included.</summary>
    public async Task<List<ServerSentEvent>> TakeUntilAsync(Func<ServerSentEvent, bool> last, TimeSpan? timeout = null)
    {
        var taken = new List<ServerSentEvent>();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ServerSentEvent next;
            try
            {
                next = await _arrived.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"The awaited event did not come within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s. Taken:\n{Describe(taken)}");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The stream ended before the awaited event. Taken:\n{Describe(taken)}");
            }

            taken.Add(next);
            if (last(next))
            {
                return taken;
            }
        }
    }

    public static string Describe(IEnumerable<ServerSentEvent> events) => string.Join('\n', events.Select(e => e.ToString()));

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed by us.
        }

        _response.Dispose();
        _http.Dispose();
        _closing.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_closing.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? id = null, name = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_closing.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null || data.Length > 0)
                    {
                        Add(new ServerSentEvent(id, name ?? "message", data.ToString(), Comment: null));
                    }

                    (id, name) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    Add(new ServerSentEvent(null, null, null, line[1..].Trim()));
                }
                else
                {
                    var colon = line.IndexOf(':');
                    var field = colon < 0 ? line : line[..colon];
                    var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": name = value; break;
                        case "data": data.Append(data.Length > 0 ? "\n" : "").Append(value); break;
                    }
                }
            }
        }
        finally
        {
            _arrived.Writer.TryComplete();
        }
    }

    private void Add(ServerSentEvent @event)
    {
        lock (_received)
        {
            _received.Add(@event);
        }

        _arrived.Writer.TryWrite(@event);
    }
}

/// <param name="Comment">Set for a comment line (": keep-alive"); the other fields are then null.</param>
internal sealed record ServerSentEvent(string? Id, string? Event, string? Data, string? Comment)
{
    public bool IsKeepAlive => Comment == "keep-alive";

    public bool Is(string name) => Event == name;

    public JsonNode Json => JsonNode.Parse(Data ?? throw new InvalidOperationException($"{this} has no data."))!;

    public string WorkflowId => Json["workflowId"]!.GetValue<string>();

    public long BlockNumber => Json["blockNumber"]!.GetValue<long>();

    public override string ToString() => Comment is not null ? $": {Comment}" : $"id: {Id} | event: {Event} | data: {Data}";
}
