using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace TestSupport;

/// <summary>
/// A real OTLP/HTTP trace receiver: processes export to it with OTEL_EXPORTER_OTLP_ENDPOINT=<see cref="Endpoint"/> and
/// OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf; it decodes each ExportTraceServiceRequest (opentelemetry-proto's
/// trace.proto, read field by field) into <see cref="Spans"/> and keeps every payload as it came for secret scans.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<byte[]> _payloads = new();
    private readonly Task _serving;

    public OtlpReceiver()
    {
        var port = FreePort.Next();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<byte[]> Payloads => [.. _payloads];

    /// <summary>The settings that make a process export its traces here, soon after each span ends.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var payload = body.ToArray();
            _payloads.Enqueue(payload);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in Decode(payload))
                {
                    _spans.Enqueue(span);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static IEnumerable<ReceivedSpan> Decode(byte[] request) =>
        Fields(request).Where(field => field.Number == 1).SelectMany(resourceSpans =>
        {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            var resource = Fields(resourceSpans.Bytes).Where(field => field.Number == 1)
                .SelectMany(field => Attributes(field.Bytes, attributeField: 1)).ToDictionary();
            return Fields(resourceSpans.Bytes).Where(field => field.Number == 2).SelectMany(scopeSpans =>
            {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }, InstrumentationScope { string name = 1; }
                var scope = Fields(scopeSpans.Bytes).Where(field => field.Number == 1)
                    .SelectMany(field => Fields(field.Bytes)).FirstOrDefault(field => field.Number == 1)?.Text ?? string.Empty;
                return Fields(scopeSpans.Bytes).Where(field => field.Number == 2).Select(span => Span(span.Bytes, scope, resource));
            });
        }).ToList();

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; repeated KeyValue attributes = 9; }
    private static ReceivedSpan Span(byte[] span, string scope, IReadOnlyDictionary<string, string> resource)
    {
        var fields = Fields(span).ToList();
        string Hex(int number) => Convert.ToHexStringLower(fields.FirstOrDefault(field => field.Number == number)?.Bytes ?? []);
        return new ReceivedSpan(
            scope,
            fields.FirstOrDefault(field => field.Number == 5)?.Text ?? string.Empty,
            Hex(1),
            Hex(2),
            Hex(4),
            Attributes(span, attributeField: 9).ToDictionary(),
            resource);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string_value = 1; bool_value = 2; int_value = 3; double_value = 4; ... }
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int attributeField) =>
        Fields(message).Where(field => field.Number == attributeField).Select(keyValue =>
        {
            var parts = Fields(keyValue.Bytes).ToList();
            var key = parts.FirstOrDefault(part => part.Number == 1)?.Text ?? string.Empty;
            var value = parts.FirstOrDefault(part => part.Number == 2) is { } any ? Fields(any.Bytes).FirstOrDefault() : null;
            return KeyValuePair.Create(key, value?.Display ?? string.Empty);
        });

    /// <summary>The fields of one protobuf message in wire order; length-delimited ones keep their bytes, varints and fixed ones their value.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var input = new CodedInputStream(message);
        var fields = new List<Field>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => new Field(number, input.ReadBytes().ToByteArray(), null),
                WireFormat.WireType.Varint => new Field(number, [], input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                WireFormat.WireType.Fixed64 when number == 4 => new Field(number, [], input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                WireFormat.WireType.Fixed64 => new Field(number, [], input.ReadFixed64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                WireFormat.WireType.Fixed32 => new Field(number, [], input.ReadFixed32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                var other => throw new InvalidDataException($"unexpected wire type {other} in an OTLP message"),
            });
        }

        return fields;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    /// <param name="Scalar">A varint's or fixed field's value as text; null for a length-delimited field.</param>
    private sealed record Field(int Number, byte[] Bytes, string? Scalar)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);

        public string Display => Scalar ?? Text;
    }
}

/// <param name="Scope">The instrumentation scope, e.g. X402.Indexer or Npgsql.</param>
/// <param name="Attributes">Each attribute's value as text (numbers in invariant culture).</param>
public sealed record ReceivedSpan(
    string Scope,
    string Name,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Resource);
