namespace TestSupport;

/// <summary>The faults a test scripted, in the order it added them; each request takes at most one.</summary>
internal sealed class FaultScript
{
    private readonly object gate = new();
    private readonly List<Rule> rules = [];

    public void Add(FaultKind fault, int times, Func<RpcRequest, bool> when)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (gate)
        {
            rules.Add(new Rule(fault, when) { Remaining = times });
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <returns>The first rule's fault that applies to <paramref name="request"/> and has uses left (one is used up); null to answer plainly.</returns>
    public FaultKind? Take(RpcRequest request)
    {
        lock (gate)
        {
            var rule = rules.FirstOrDefault(candidate => candidate.Remaining > 0 && AppliesTo(candidate.Fault, request) && candidate.When(request));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            return rule.Fault;
        }
    }

    // An error for a method the request does not call would not be an injected fault at all.
    private static bool AppliesTo(FaultKind fault, RpcRequest request) =>
        fault is not FaultKind.RpcError error || request.Has(error.Method);

    private sealed record Rule(FaultKind Fault, Func<RpcRequest, bool> When)
    {
        public int Remaining { get; set; }
    }
}
