namespace TestSupport;

/// <summary>
/// What a <see cref="FaultProxy"/> does to a request instead of answering it plainly. Records, so
/// that <see cref="FaultProxy.Injected"/> counts equal faults together.
/// </summary>
public abstract record FaultKind
{
    private FaultKind()
    {
    }

    /// <summary>HTTP 429 with a Retry-After header, as a rate-limiting provider answers.</summary>
    public sealed record Http429(int RetryAfterSeconds) : FaultKind;

    public sealed record Http500() : FaultKind;

    public sealed record Http503() : FaultKind;

    /// <summary>No answer at all: the request is held for <paramref name="HoldFor"/>, then the connection is dropped.</summary>
    public sealed record Timeout(TimeSpan HoldFor) : FaultKind;

    /// <summary>The connection is reset (TCP RST) after the request arrives, before any answer.</summary>
    public sealed record ConnectionReset() : FaultKind;

    /// <summary>The node's real answer, cut in the middle: the body stops short of its Content-Length and the connection closes.</summary>
    public sealed record TruncatedJson() : FaultKind;

    /// <summary>HTTP 200 whose body is not JSON, as a misbehaving load balancer sends.</summary>
    public sealed record MalformedJson() : FaultKind;

    /// <summary>A JSON-RPC error object for each call to <paramref name="Method"/>; the other calls of a batch get the node's answers.</summary>
    public sealed record RpcError(int Code, string Message, string Method) : FaultKind;

    /// <summary>
    /// Answers as a node <paramref name="LagBlocks"/> blocks behind the real head would: its head is
    /// lower, its logs stop at its head, and blocks and transactions above its head are unknown (null).
    /// All calls of a batch see the same lagging node, as behind a load balancer one request reaches one node.
    /// </summary>
    public sealed record LaggingNode(int LagBlocks) : FaultKind;

    /// <summary>eth_blockNumber answers the real head minus <paramref name="Blocks"/>.</summary>
    public sealed record HeadGoesBackwards(int Blocks) : FaultKind;
}
