using System.Diagnostics;

namespace TestSupport;

/// <summary>What the <see cref="FaultProxy"/> saw and did, for the tests to assert on. Thread-safe.</summary>
internal sealed class ProxyLedger
{
    private readonly object gate = new();
    private readonly Dictionary<FaultKind, int> injected = [];
    private readonly Dictionary<FaultKind, List<TimeSpan>> pausesAfter = [];
    private readonly Dictionary<string, int> forwarded = new(StringComparer.Ordinal);
    private readonly List<BlockRange> requestedLogRanges = [];
    private readonly List<BlockRange> forwardedLogRanges = [];
    private readonly List<Exception> errors = [];
    private (FaultKind Fault, long At)? lastInjection;

    public int Injected(FaultKind fault)
    {
        lock (gate)
        {
            return injected.GetValueOrDefault(fault);
        }
    }

    public IReadOnlyList<TimeSpan> PausesAfter(FaultKind fault)
    {
        lock (gate)
        {
            return pausesAfter.TryGetValue(fault, out var pauses) ? [.. pauses] : [];
        }
    }

    public int Forwarded(string method)
    {
        lock (gate)
        {
            return forwarded.GetValueOrDefault(method);
        }
    }

    public IReadOnlyList<BlockRange> RequestedLogRanges
    {
        get
        {
            lock (gate)
            {
                return [.. requestedLogRanges];
            }
        }
    }

    public IReadOnlyList<BlockRange> ForwardedLogRanges
    {
        get
        {
            lock (gate)
            {
                return [.. forwardedLogRanges];
            }
        }
    }

    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (gate)
            {
                return [.. errors];
            }
        }
    }

    /// <summary>A request arrived: it ends the pause after the last injected fault, if one is pending.</summary>
    public void Received(RpcRequest request)
    {
        var now = Stopwatch.GetTimestamp();
        lock (gate)
        {
            requestedLogRanges.AddRange(request.Calls.Select(call => call.LogsRange).OfType<BlockRange>());
            if (lastInjection is { } last)
            {
                pausesAfter[last.Fault].Add(Stopwatch.GetElapsedTime(last.At, now));
                lastInjection = null;
            }
        }
    }

    /// <summary>
    /// A fault was taken for a request. Counted before it is delivered: a reset or a cut body may
    /// reach the client, and its test, before the proxy's task runs again.
    /// </summary>
    public void FaultTaken(FaultKind fault)
    {
        lock (gate)
        {
            injected[fault] = injected.GetValueOrDefault(fault) + 1;
            if (!pausesAfter.ContainsKey(fault))
            {
                pausesAfter[fault] = [];
            }
        }
    }

    /// <summary>
    /// The proxy is about to make the fault visible (write its answer, close its connection): the
    /// client's pause starts now, never later than the client itself could start it.
    /// </summary>
    public void FaultShown(FaultKind fault)
    {
        lock (gate)
        {
            lastInjection = (fault, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>These calls were answered by the node (not replaced by a fault).</summary>
    public void AnsweredByNode(IEnumerable<RpcCall> calls)
    {
        lock (gate)
        {
            foreach (var call in calls)
            {
                forwarded[call.Method] = forwarded.GetValueOrDefault(call.Method) + 1;
                if (call.LogsRange is { } range)
                {
                    forwardedLogRanges.Add(range);
                }
            }
        }
    }

    public void Failed(Exception error)
    {
        lock (gate)
        {
            errors.Add(error);
        }
    }
}
