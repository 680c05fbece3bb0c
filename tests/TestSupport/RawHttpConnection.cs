using System.Globalization;
using System.Text;

namespace TestSupport;

/// <summary>
/// Just enough HTTP/1.1 for the <see cref="FaultProxy"/>: requests with a Content-Length body on a
/// kept-alive connection, and responses written byte by byte, so that a fault can stop anywhere.
/// </summary>
internal sealed class RawHttpConnection(Stream stream)
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private byte[] buffer = new byte[16 * 1024];
    private int buffered;

    /// <returns>The next request's body; null when the client closed the connection between requests.</returns>
    /// <exception cref="IOException">The connection closed in the middle of a request.</exception>
    /// <exception cref="NotSupportedException">The request has no Content-Length (e.g. chunked): not something the worker sends.</exception>
    public async Task<byte[]?> ReadRequestBodyAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, buffered).IndexOf(HeaderEnd)) < 0)
        {
            if (!await FillAsync(cancellationToken))
            {
                return buffered == 0 ? null : throw new IOException("The client closed the connection in the middle of a request head.");
            }
        }

        var bodyStart = headerEnd + HeaderEnd.Length;
        var bodyLength = ContentLength(Encoding.ASCII.GetString(buffer, 0, headerEnd));
        while (buffered < bodyStart + bodyLength)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new IOException("The client closed the connection in the middle of a request body.");
            }
        }

        var body = buffer[bodyStart..(bodyStart + bodyLength)];
        buffered -= bodyStart + bodyLength;
        Buffer.BlockCopy(buffer, bodyStart + bodyLength, buffer, 0, buffered);
        return body;
    }

    /// <param name="sendBytes">How much of the body to send; less than its length cuts the answer short.</param>
    public async Task WriteResponseAsync(
        int status, string reason, byte[] body, CancellationToken cancellationToken, int? sendBytes = null, int? retryAfterSeconds = null)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        if (retryAfterSeconds is { } seconds)
        {
            head.Append(CultureInfo.InvariantCulture, $"Retry-After: {seconds}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
        await stream.WriteAsync(body.AsMemory(0, sendBytes ?? body.Length), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new NotSupportedException($"A request without Content-Length: {head.Split("\r\n")[0]}");
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (buffered == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await stream.ReadAsync(buffer.AsMemory(buffered), cancellationToken);
        buffered += read;
        return read > 0;
    }
}
