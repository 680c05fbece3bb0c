using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Nethereum.JsonRpc.Client;

namespace Indexer.Worker.Chain;

/// <summary>Reads one JSON-RPC result in place, from the reader positioned on its first token.</summary>
public delegate T RpcResultReader<out T>(ref Utf8JsonReader reader);

/// <summary>
/// One JSON-RPC batch over HTTP whose answers are read straight from the UTF-8 bytes into the
/// values the worker keeps: no intermediate DTO or token graph, which at a dense chain's log
/// volume costs more CPU than everything else the worker does. The answer is read into a pooled
/// buffer and refused past <c>maxAnswerBytes</c>, so one huge answer cannot exhaust memory.
/// </summary>
public sealed class JsonRpcBatch
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly List<(string Method, Action<Utf8JsonWriter> WriteParams)> requests = [];

    /// <returns>The request's index, which is also its JSON-RPC id.</returns>
    public int Add(string method, Action<Utf8JsonWriter> writeParams)
    {
        requests.Add((method, writeParams));
        return requests.Count - 1;
    }

    /// <exception cref="RpcAnswerTooLargeException">The answer is longer than <paramref name="maxAnswerBytes"/>.</exception>
    /// <exception cref="ChainDataException">The answer is not a JSON-RPC batch answer.</exception>
    public async Task<BatchAnswer> SendAsync(HttpClient http, int maxAnswerBytes, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null) { Content = new ByteArrayContent(WriteRequests()) };
        request.Content.Headers.ContentType = Json;
        // Headers only: the body is read once, straight into the pooled buffer and against the cap.
        // PostAsync would first buffer all of it (a large-object-heap array per eth_getLogs answer, uncapped).
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var (buffer, length) = await ReadCappedAsync(response.Content, maxAnswerBytes, cancellationToken);
        try
        {
            return BatchAnswer.Parse(buffer, length, requests.Count);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private byte[] WriteRequests()
    {
        var output = new ArrayBufferWriter<byte>(128 * requests.Count);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            for (var id = 0; id < requests.Count; id++)
            {
                json.WriteStartObject();
                json.WriteString("jsonrpc"u8, "2.0"u8);
                json.WriteNumber("id"u8, id);
                json.WriteString("method"u8, requests[id].Method);
                json.WriteStartArray("params"u8);
                requests[id].WriteParams(json);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return output.WrittenSpan.ToArray();
    }

    private static async Task<(byte[] Buffer, int Length)> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new RpcAnswerTooLargeException(maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 64 * 1024, maxBytes) + 1);
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw new RpcAnswerTooLargeException(maxBytes);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > maxBytes)
            {
                throw new RpcAnswerTooLargeException(maxBytes);
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>
/// A batch's answer, indexed by request id. Where each result or error lies is found in one pass,
/// because nodes may order the members of an answer (id, result) and the answers themselves freely.
/// Dispose it to return its buffer.
/// </summary>
public sealed class BatchAnswer : IDisposable
{
    private readonly byte[] buffer;
    private readonly (int Start, int Length, RpcError? Error)[] slots;

    private BatchAnswer(byte[] buffer, (int, int, RpcError?)[] slots)
    {
        this.buffer = buffer;
        this.slots = slots;
    }

    /// <summary>Whether request <paramref name="id"/> was answered with a JSON-RPC error, and which.</summary>
    public RpcError? ErrorOf(int id) => slots[id].Error;

    /// <exception cref="RpcResponseException">The node answered this request with an error.</exception>
    /// <exception cref="ChainDataException">The answer's result is not what the reader expects.</exception>
    public T Read<T>(int id, RpcResultReader<T> read)
    {
        var (start, length, error) = slots[id];
        if (error is not null)
        {
            throw new RpcResponseException(error);
        }

        var reader = new Utf8JsonReader(buffer.AsSpan(start, length));
        try
        {
            reader.Read();
            return read(ref reader);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw new ChainDataException($"The node's answer to request {id} cannot be read: {e.Message}");
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>Finds the answer to each of <paramref name="requests"/> requests (ids 0 to requests − 1) in <paramref name="buffer"/>, which it then owns.</summary>
    /// <exception cref="ChainDataException">Not a batch answer with one answer for each of the requests.</exception>
    /// <exception cref="RpcResponseException">The node refused the whole batch with one error.</exception>
    public static BatchAnswer Parse(byte[] buffer, int length, int requests)
    {
        var slots = new (int, int, RpcError?)[requests];
        var answered = new bool[requests];
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
        try
        {
            Expect(reader.Read(), "the answer is empty");
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // Some nodes refuse a whole batch (too many requests in it) with one error object.
                throw new RpcResponseException(ReadTopLevelError(ref reader));
            }

            Expect(reader.TokenType == JsonTokenType.StartArray, "the answer is not a JSON array");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Expect(reader.TokenType == JsonTokenType.StartObject, "an answer is not a JSON object");
                int? id = null;
                (int Start, int Length)? result = null;
                RpcError? error = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        id = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null;
                    }
                    else if (reader.ValueTextEquals("result"u8))
                    {
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        result = (start, (int)reader.BytesConsumed - start);
                    }
                    else if (reader.ValueTextEquals("error"u8))
                    {
                        reader.Read();
                        error = ReadError(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                Expect(id is >= 0 && id < requests && !answered[id.Value], "an answer has an unknown or repeated id");
                Expect(result is not null || error is not null, $"the answer to request {id} has neither result nor error");
                answered[id!.Value] = true;
                slots[id.Value] = (result?.Start ?? 0, result?.Length ?? 0, error);
            }

            Expect(answered.All(done => done), "some requests of the batch were not answered");
        }
        catch (JsonException e)
        {
            throw new ChainDataException($"The node's batch answer is not valid JSON: {e.Message}");
        }

        return new BatchAnswer(buffer, slots);
    }

    private static RpcError ReadTopLevelError(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isError = reader.ValueTextEquals("error"u8);
            reader.Read();
            if (isError)
            {
                return ReadError(ref reader);
            }

            reader.Skip();
        }

        throw new ChainDataException("The node's batch answer is malformed: an object that is no error.");
    }

    private static RpcError ReadError(ref Utf8JsonReader reader)
    {
        var code = 0;
        var message = string.Empty;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new RpcError(code, "malformed error");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                code = reader.TryGetInt32(out var value) ? value : 0;
            }
            else if (reader.ValueTextEquals("message"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                message = reader.GetString() ?? string.Empty;
            }
            else
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    reader.Read();
                }

                reader.Skip();
            }
        }

        return new RpcError(code, message);
    }

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new ChainDataException($"The node's batch answer is malformed: {problem}.");
        }
    }
}

/// <summary>The node's answer is longer than the worker reads in one piece; a smaller request may fit.</summary>
public sealed class RpcAnswerTooLargeException(int maxBytes)
    : Exception($"the answer is larger than {maxBytes / (1024 * 1024)} MiB");
