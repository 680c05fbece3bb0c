using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Query.Api.Tests.Support;

/// <summary>
/// Sends bytes as they are, on a connection of their own, for requests HttpClient cannot or will not
/// send (malformed request lines, raw non-ASCII bytes, oversized heads). Only the answer's head is read:
/// the status is what matters, and a stream's body would never end.
/// </summary>
internal static class RawHttp
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private const int MaxHeadBytes = 64 * 1024;

    /// <returns>
    /// The answer's head; <see cref="RawAnswer.Status"/> is null when the server closed without answering.
    /// The connection stays open until the head arrives (Kestrel takes a half-closed connection for a client gone).
    /// </returns>
    /// <exception cref="OperationCanceledException">No whole head within <paramref name="timeout"/>.</exception>
    public static async Task<RawAnswer> ExchangeAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, deadline.Token);
        }
        catch (IOException)
        {
            // The server may refuse a request before it has all been sent (a head too large): its answer is still there to read.
        }

        var buffer = new byte[MaxHeadBytes];
        var read = 0;
        try
        {
            while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf(HeadEnd) < 0)
            {
                var count = await stream.ReadAsync(buffer.AsMemory(read), deadline.Token);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }
        }
        catch (IOException)
        {
            // Reset by the server after it answered, or without answering: whatever arrived is the answer.
        }

        return RawAnswer.Parse(Encoding.Latin1.GetString(buffer, 0, read));
    }

    /// <summary>Sends <paramref name="requests"/> (pipelined, so the last should ask to close) and reads every answer until the server closes.</summary>
    /// <returns>The status of each answer, in order.</returns>
    public static async Task<IReadOnlyList<int>> PipelineAsync(int port, byte[] requests, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(requests, deadline.Token);
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, deadline.Token);
        }
        catch (IOException)
        {
            // Reset by the server: what arrived before is what it answered.
        }

        return Encoding.Latin1.GetString(received.ToArray())
            .Split("\r\n")
            .Select(line => RawAnswer.Parse(line).Status)
            .OfType<int>()
            .ToList();
    }
}

internal sealed record RawAnswer(int? Status, string Head)
{
    public static RawAnswer Parse(string head)
    {
        var parts = head.Split(' ', 3);
        var status = parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? code
            : (int?)null;
        return new RawAnswer(status, head);
    }

    public override string ToString() => Status is null ? $"no answer ({Head.Length} bytes)" : Head.Split("\r\n")[0];
}
