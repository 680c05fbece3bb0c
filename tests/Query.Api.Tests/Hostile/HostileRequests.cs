using System.Globalization;
using System.Text;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Hostile;

/// <summary>What one generated request is, for the report: its kind and a short description.</summary>
internal abstract record HostileRequest(string Kind)
{
    public abstract string Describe();
}

/// <summary>A request HttpClient can carry: any method, path, query and header value it accepts.</summary>
internal sealed record ClientRequest(string Kind, string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body)
    : HostileRequest(Kind)
{
    public override string Describe() => $"{Method} {Shorten(PathAndQuery)} [{string.Join("; ", Headers.Select(header => $"{header.Name}: {Shorten(header.Value)}"))}]";

    internal static string Shorten(string text) => text.Length <= 200 ? text : $"{text[..200]}…({text.Length} chars)";
}

/// <summary>Bytes sent as they are on a connection of their own.</summary>
/// <param name="OtherHttpVersion">
/// The request line names an HTTP version other than 1.0 and 1.1: Kestrel answers 505 HTTP Version Not
/// Supported (or a 4xx when the version is not even well-formed, or the line too long) before any application code runs, as RFC 9110
/// §15.6.6 has a server answer a version it does not speak. The one 5xx that is the client's doing.
/// </param>
internal sealed record RawRequest(string Kind, byte[] Bytes, bool OtherHttpVersion = false) : HostileRequest(Kind)
{
    public override string Describe() => ClientRequest.Shorten(Encoding.Latin1.GetString(Bytes).Replace("\r", "\\r").Replace("\n", "\\n"));
}

/// <summary>
/// Malformed and abusive requests, the same ones for the same seed: bad paths and ids, odd and oversized
/// query values, unicode and percent-encoding garbage, repeated parameters, wrong methods, bad headers,
/// cursors and Last-Event-IDs, and (over raw sockets) broken request lines, framing and header syntax.
/// Endpoints and parameters other parts of the API add (/stream, /stats/timeline, cursor, filters) are asked
/// for too: whichever exist must answer them without a 5xx.
/// </summary>
internal sealed class HostileRequests(int seed)
{
    public const string AllowedOrigin = "https://app.example.com";

    private static readonly string[] Statuses = ["running", "completed", "failed", "rejected", "RUNNING", "Completed", "unknown", "running,failed", "*", "null"];
    private static readonly string[] Parameters =
        ["limit", "offset", "cursor", "status", "initiator", "payee", "startedFrom", "startedTo", "bucket", "from", "to", "workflowId"];
    private static readonly string[] Methods = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO"];
    private static readonly string[] PercentGarbage =
        ["%", "%%", "%G1", "%zz", "%1", "%00", "%0A", "%0D%0A", "%7F", "%FF", "%FE%FF", "%C0%AF", "%C0%80", "%E0%80%AF", "%ED%A0%80",
         "%F4%90%80%80", "%F0%9F%98%80", "%2F", "%252F", "%5C", "%2E%2E", "%20", "+", "%2B", "%3D", "%26", "%3F", "%23", "%u0041"];

    private readonly Random _random = new(seed);

    public IEnumerable<ClientRequest> ForHttpClient(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return NextClientRequest();
        }
    }

    public IEnumerable<RawRequest> ForRawSockets(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return NextRawRequest();
        }
    }

    private ClientRequest NextClientRequest()
    {
        var (kind, pathAndQuery) = Target();
        var method = Chance(0.8) ? "GET" : Pick(Methods);
        var headers = Enumerable.Range(0, _random.Next(0, 7)).Select(_ => Header(pathAndQuery)).ToList();
        if (method == "OPTIONS" && Chance(0.7))
        {
            headers.Add(("Origin", Chance(0.5) ? AllowedOrigin : Origin()));
            headers.Add(("Access-Control-Request-Method", Pick(["GET", "POST", "DELETE", "", "G E T", Garbage(20)])));
            headers.Add(("Access-Control-Request-Headers", Pick(["if-none-match", "last-event-id, x-custom", "", Garbage(50), new string('a', 3000)])));
        }

        var body = method is "POST" or "PUT" or "PATCH" && Chance(0.7) ? RandomBytes(_random.Next(0, 3000)) : null;
        return new ClientRequest($"{method} {kind}", method, pathAndQuery, headers, body);
    }

    private RawRequest NextRawRequest()
    {
        var roll = _random.Next(13);
        var (kind, target) = Target();
        var headers = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Header(target)).Select(header => $"{header.Name}: {header.Value}").ToList();
        return roll switch
        {
            0 => Raw("request line", $"{RequestLine(target)}\r\nHost: api\r\n{Lines(headers)}\r\n"),
            1 => Raw("header syntax", $"GET {target} HTTP/1.1\r\nHost: api\r\n{BadHeaderLine()}\r\n{Lines(headers)}\r\n"),
            2 => Raw("body framing", $"{Pick(["GET", "POST", "DELETE"])} {target} HTTP/1.1\r\nHost: api\r\n{Framing()}\r\n"),
            3 => Raw("host", $"GET {target} HTTP/1.1\r\n{Pick(["", "Host: \r\n", "Host: a\r\nHost: b\r\n", "Host: api:99999\r\n", "Host: [::1\r\n", "Host: a b\r\n", $"Host: {Garbage(100)}\r\n"])}{Lines(headers)}\r\n"),
            4 => RawBytes("raw bytes in target", Concat($"GET /workflows/", RandomBytes(_random.Next(1, 200), avoidLineBreaks: true), $" HTTP/1.1\r\nHost: api\r\n{Lines(headers)}\r\n")),
            5 => RawBytes("raw bytes in header", Concat($"GET {target} HTTP/1.1\r\nHost: api\r\n{Pick(["Last-Event-ID", "If-None-Match", "Origin", "X-Forwarded-For", "Accept", "Cookie"])}: ", RandomBytes(_random.Next(1, 300), avoidLineBreaks: true), "\r\n\r\n")),
            6 => Raw("bare LF", $"GET {target} HTTP/1.1\nHost: api\n{string.Join("\n", headers)}\n\n"),
            7 => Raw("oversized", Oversized(target)),
            8 => RawBytes("not HTTP", Concat("", RandomBytes(_random.Next(1, 2000)), "\r\n\r\n")),
            9 => Raw("pipelined", $"GET {target} HTTP/1.1\r\nHost: api\r\n\r\n{RequestLine(target)}\r\nHost: api\r\n\r\n"),
            10 => new RawRequest("HTTP version", Encoding.UTF8.GetBytes($"GET {target} {OtherVersion()}\r\nHost: api\r\n{Lines(headers)}\r\n"), OtherHttpVersion: true),
            11 => Raw("stream", $"GET /stream{Pick(["", "?workflowId=" + Id()])} HTTP/1.1\r\nHost: api\r\nAccept: text/event-stream\r\nLast-Event-ID: {LastEventId()}\r\n\r\n"),
            _ => Raw($"HTTP/1.1 {kind}", $"GET {target} HTTP/1.1\r\nHost: api\r\n{Lines(headers)}\r\n"),
        };
    }

    /// <summary>A path and query, ASCII only (non-ASCII goes percent-encoded), as HttpClient sends it unchanged.</summary>
    private (string Kind, string PathAndQuery) Target() => _random.Next(11) switch
    {
        0 => ("workflow id", $"/workflows/{Id()}"),
        1 => ("workflow id and more", $"/workflows/{Id()}/{Garbage(30)}"),
        2 => ("list query", "/workflows" + Query()),
        3 => ("stats query", Pick(["/stats", "/stats/timeline"]) + Query()),
        4 => ("stream", "/stream" + Query()),
        5 => ("odd path", Pick(["//workflows", "/workflows/", "/WORKFLOWS", "/%77orkflows", "/workflows/../stats", "/./stats", "/stats;x=1", "/stats.json",
            "/stats/", "/health/", "/health/db/x", "/status/", "/openapi/v1.json", "/docs", "/index.html", "/favicon.ico", "/.env", "/..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd"])),
        6 => ("garbage path", "/" + Garbage(_random.Next(1, 300))),
        7 => ("long path", "/workflows/" + new string('a', _random.Next(1000, 7000))),
        8 => ("repeated parameters", Pick(["/workflows", "/stats", "/stream"]) + Repeated()),
        9 => ("cursor", $"/workflows?cursor={Cursor()}{Pick(["", "&limit=10", "&offset=5", "&cursor=" + Cursor()])}"),
        _ => ("known route", Pick(["/", "/health", "/health/db", "/status", "/stats", "/workflows", $"/workflows/{Seed.Running}"]) + (Chance(0.5) ? Query() : "")),
    };

    private string Query()
    {
        var parts = Enumerable.Range(0, _random.Next(0, 8)).Select(_ => _random.Next(10) switch
        {
            0 => Garbage(20) + "=" + Garbage(20),
            1 => Pick(["", "=", "&", "==", "limit", "limit=1=2", "=5", "&&&"]),
            _ => Parameter(),
        });
        return "?" + string.Join("&", parts);
    }

    private string Repeated()
    {
        var name = Pick(Parameters);
        return "?" + string.Join("&", Enumerable.Range(0, _random.Next(2, 300)).Select(_ => $"{name}={Value(name)}"));
    }

    private string Parameter()
    {
        var name = Pick(Parameters);
        return $"{name}={Value(name)}";
    }

    private string Value(string parameter) => Chance(0.3) ? Garbage(_random.Next(0, 60)) : parameter switch
    {
        "status" => Pick(Statuses),
        "initiator" or "payee" => Address(),
        "cursor" => Cursor(),
        "bucket" => Pick(["hour", "day", "minute", "week", "HOUR", "", "0"]),
        "workflowId" => Id(),
        _ => Number(),
    };

    private string Number() => Pick(
    [
        "0", "1", "-1", "100", "1000", "1001", "-0", "+5", "%2B5", "%205", "5%20", "007", "1.5", "1e3", "0x10", "NaN", "Infinity", "-Infinity",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999", new string('9', _random.Next(30, 5000)), "%D9%A3", "%EF%BC%91", "1%00",
        _random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        _random.Next(0, 2_000_000_000).ToString(CultureInfo.InvariantCulture),
    ]);

    private string Id() => _random.Next(12) switch
    {
        0 => Pick(Seed.NewestFirst),
        1 => "0x" + Hex(64),
        2 => "0X" + Hex(64).ToUpperInvariant(),
        3 => "0x" + Hex(_random.Next(0, 130)),
        4 => Hex(64),
        5 => "0x" + Hex(63) + Pick(["g", "G", "%00", "%0A", "%20", "%C3%A9", "z"]),
        6 => "0x" + Hex(64) + Pick(["%0A", "%20", "%00", "/", "%2F", "..", ".json", "?", "%3F"]),
        7 => Garbage(_random.Next(1, 100)),
        8 => "0x" + new string('a', _random.Next(65, 7000)),
        9 => Pick(["", "0x", "null", "undefined", "-1", "0", "..", "%2E%2E", "0x%20" + Hex(64)]),
        10 => "%30%78" + Hex(64),
        _ => "0x" + Hex(64),
    };

    private string Address() => _random.Next(6) switch
    {
        0 => "0x" + Hex(40),
        1 => "0x" + Hex(40).ToUpperInvariant(),
        2 => "0x" + Hex(_random.Next(0, 80)),
        3 => Hex(40),
        4 => Pick([Seed.Alice, Seed.Payee, "0x" + new string('0', 40), "0x" + Hex(39) + "z"]),
        _ => Garbage(_random.Next(1, 80)),
    };

    private string Cursor() => _random.Next(8) switch
    {
        0 => Convert.ToBase64String(RandomBytes(_random.Next(0, 400))).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        1 => Uri.EscapeDataString(Convert.ToBase64String(RandomBytes(_random.Next(0, 400)))),
        2 => Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(Pick(
            ["{}", "{\"b\":-1}", "{\"block\":1e999,\"tx\":-1,\"log\":\"x\"}", "[1,2,3]", "null", "{\"k\":" + new string('[', 5000) + "}"])))),
        3 => Pick(["", "null", "0", "-1", "%00", "====", "....", "%FF%FE", "eyJ", "e30", "%3D%3D"]),
        4 => new string('A', _random.Next(1000, 6000)),
        5 => Garbage(_random.Next(1, 200)),
        6 => Hex(_random.Next(1, 200)),
        _ => Uri.EscapeDataString(Unicode(_random.Next(1, 40))),
    };

    private string LastEventId() => Pick(
    [
        "", "0", "-1", "1", "18446744073709551616", new string('9', 300), "abc", "1:2:3", "1-2-3", "0x10", "1.5", "NaN", " 5", "5 ",
        _random.NextInt64().ToString(CultureInfo.InvariantCulture), Hex(64), new string('x', _random.Next(100, 4000)), Garbage(40),
    ]);

    private (string Name, string Value) Header(string target) => _random.Next(16) switch
    {
        0 => ("Accept", Pick(["*/*", "application/json", "text/event-stream", "application/xml", "application/json;q=abc", "*/*;q=-1", Garbage(40), new string('a', 4000)])),
        1 => ("Accept-Encoding", Pick(["br", "gzip", "br;q=abc", "gzip;q=2", "*", "*;q=0", "identity;q=0", "identity;q=0, *;q=0", "deflate, compress", ", , ,", string.Join(",", Enumerable.Repeat("gzip", 500)), Garbage(60)])),
        2 => ("If-None-Match", Pick(["*", "\"\"", "W/\"\"", "\"" + Hex(32) + "\"", "W/" + Hex(32), "\"unterminated", "\"a\",", ",,,", string.Join(", ", Enumerable.Range(0, 300).Select(_ => "\"" + Hex(8) + "\"")), Garbage(80)])),
        3 => ("Origin", Origin()),
        4 => ("X-Forwarded-For", Pick(["203.0.113.5", "unknown", "300.1.1.1", "1.2.3.4:99999", "[::1]:80", "::ffff:1.2.3.4", "fe80::1%eth0", ",,,", " , 1.2.3.4 ,",
            "1.2.3.4, 5.6.7.8, 127.0.0.1", string.Join(", ", Enumerable.Range(0, 500).Select(i => $"10.0.{i / 256}.{i % 256}")), Garbage(60)])),
        5 => ("Last-Event-ID", LastEventId()),
        6 => ("Range", Pick(["bytes=0-1", "bytes=-1", "bytes=99999999999-", "bytes=1-0", "items=0-9", Garbage(30)])),
        7 => ("If-Modified-Since", Pick(["Sun, 06 Nov 1994 08:49:37 GMT", "yesterday", "", Garbage(30)])),
        8 => ("Cookie", Garbage(_random.Next(1, 3000))),
        9 => ("Forwarded", Pick(["for=192.0.2.60;proto=http;by=203.0.113.43", "for=\"[2001:db8:cafe::17]:4711\"", "for=unknown", Garbage(50)])),
        10 => ("X-Forwarded-Proto", Pick(["https", "gopher", Garbage(10)])),
        11 => ("X-Forwarded-Host", Pick(["evil.example", "", Garbage(30)])),
        12 => ("Accept-Language", Pick(["en", "*", "xx-YY;q=2", Garbage(30)])),
        13 => ("User-Agent", Unicode(_random.Next(1, 100))),
        14 => ("Authorization", "Bearer " + Garbage(100)),
        _ => ($"X-{Hex(6)}", target.Length < 1000 ? target : Garbage(40)),
    };

    private string Origin() => Pick([AllowedOrigin, "https://APP.example.com", "https://evil.example", "null", "", "file://", "https://app.example.com.evil.example",
        "http://app.example.com", "https://app.example.com:443", "https://app.example.com/", "*", Garbage(40)]);

    private string RequestLine(string target) => _random.Next(10) switch
    {
        0 => $"GET {target} HTTP/1.0",
        1 => $"{Pick(["get", "Get", "GE T", "G\u0000ET", new string('G', 1000), "PRI", "CONNECT"])} {target} HTTP/1.1",
        2 => $"GET {Pick(["http://evil.example/stats", "https://api/workflows", "http://[::1/stats", "*", "api:80", "", "stats", "\\stats", "/stats#frag", "/a b", "/%"])} HTTP/1.1",
        3 => $"GET  {target}  HTTP/1.1",
        4 => $"GET\t{target}\tHTTP/1.1",
        5 => $"OPTIONS * HTTP/1.1",
        6 => $"CONNECT {Pick(["api:443", "evil.example:80", "[::1]:1", "x"])} HTTP/1.1",
        7 => "GET",
        8 => $"GET {target}",
        _ => $" GET {target} HTTP/1.1",
    };

    private string OtherVersion() => Pick(["HTTP/1.2", "HTTP/2.0", "HTTP/3", "HTTP/0.9", "HTTP/1.1x", "HTTPS/1.1", "http/1.1", "HTTP/11", "HTTP/", "HTTP/1.1 extra", "HTTP/9.9"]);

    private string BadHeaderLine() => Pick(
    [
        "Bad Name: x", "NoColon", ": empty name", " folded continuation", "\tfolded", "X(y): z", "X-Nul: a\u0000b", "X-Cr: a\rb", "X-Del: \u007f",
        "Content-Length: 5\r\nContent-Length: 6", "Transfer-Encoding: chunked\r\nContent-Length: 5", "X: " + new string(' ', 5000), "X:" + Garbage(100),
        "Connection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x",
        "Expect: 100-continue", "Expect: nonsense", "Connection: close, keep-alive, " + Garbage(20),
    ]);

    private string Framing() => Pick(
    [
        "Content-Length: -1\r\n", "Content-Length: abc\r\n", "Content-Length: 1 2\r\n", "Content-Length: 99999999999999999999\r\n", "Content-Length: 5\r\n\r\nhello",
        "Content-Length: 2048\r\n\r\n" + new string('x', 2048), "Content-Length: 10\r\n", "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n",
        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n", "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n", "Transfer-Encoding: chunked, gzip\r\n",
        "Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n",
        "Transfer-Encoding: chunked\r\n\r\n5;ext=" + new string('e', 5000) + "\r\nhello\r\n0\r\n",
    ]);

    private string Oversized(string target) => _random.Next(4) switch
    {
        0 => $"GET /workflows?limit={new string('9', _random.Next(8200, 20000))} HTTP/1.1\r\nHost: api\r\n\r\n",
        1 => $"GET {target} HTTP/1.1\r\nHost: api\r\nX-Big: {new string('a', _random.Next(16500, 40000))}\r\n\r\n",
        2 => $"GET {target} HTTP/1.1\r\nHost: api\r\n{string.Concat(Enumerable.Range(0, _random.Next(51, 500)).Select(i => $"X-H{i}: {i}\r\n"))}\r\n",
        _ => $"GET {target} HTTP/1.1\r\nHost: api\r\n{string.Concat(Enumerable.Range(0, 40).Select(i => $"X-H{i}: {new string('b', 500)}\r\n"))}\r\n",
    };

    /// <summary>Printable ASCII and percent-encoded bytes, as a URL may carry them.</summary>
    private string Garbage(int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
        {
            var roll = _random.Next(4);
            if (roll == 0)
            {
                text.Append(Pick(PercentGarbage));
            }
            else if (roll == 1)
            {
                text.Append(Uri.EscapeDataString(Unicode(_random.Next(1, 4))));
            }
            else
            {
                // Any printable character but those that would end the path or the URL ('#', '?') or start an escape.
                var character = (char)_random.Next(0x21, 0x7F);
                text.Append(character is '#' or '?' or '%' ? '~' : character);
            }
        }

        return text.ToString();
    }

    /// <summary>Unicode text: letters of several scripts, emoji, combining marks, right-to-left marks and lone surrogates.</summary>
    private string Unicode(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(8) switch
            {
                0 => "é",
                1 => "ü",
                2 => "日本",
                3 => "😀",
                4 => "\u200F",
                5 => "\u0301",
                6 => "\uD800",
                _ => "١٢٣",
            });
        }

        return text.ToString();
    }

    private string Hex(int length) => Convert.ToHexStringLower(RandomBytes((length + 1) / 2))[..length];

    private byte[] RandomBytes(int length, bool avoidLineBreaks = false)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        if (avoidLineBreaks)
        {
            // A line break would end the request line or header early: that is another kind of request.
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = bytes[i] is (byte)'\r' or (byte)'\n' ? (byte)'_' : bytes[i];
            }
        }

        return bytes;
    }

    private static string Lines(IEnumerable<string> headers) => string.Concat(headers.Select(header => header + "\r\n"));

    private static RawRequest Raw(string kind, string request) => new(kind, Encoding.UTF8.GetBytes(request));

    private static RawRequest RawBytes(string kind, byte[] request) => new(kind, request);

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.ASCII.GetBytes(before), .. middle, .. Encoding.ASCII.GetBytes(after)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
