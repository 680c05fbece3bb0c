using System.Numerics;

namespace Simulator.Simulation;

/// <summary>What an observer must hold besides the status counts: events per type and the sum of all payments.</summary>
/// <param name="EventsByType">Keyed by WORKFLOW_STARTED, DECISION_RECORDED, PAYMENT_EXECUTED, WORKFLOW_COMPLETED, WORKFLOW_FAILED; every type present.</param>
/// <param name="SettledTotal">Sum of every PaymentExecuted amount, in wei.</param>
public sealed record ExpectedTotals(IReadOnlyDictionary<string, long> EventsByType, BigInteger SettledTotal)
{
    public static readonly IReadOnlyList<string> EventTypes =
        ["WORKFLOW_STARTED", "DECISION_RECORDED", "PAYMENT_EXECUTED", "WORKFLOW_COMPLETED", "WORKFLOW_FAILED"];

    public long Events => EventsByType.Values.Sum();

    internal static ExpectedTotals Of(IEnumerable<SimulatedEvent> events)
    {
        var byType = EventTypes.ToDictionary(type => type, _ => 0L, StringComparer.Ordinal);
        var settled = BigInteger.Zero;
        foreach (var simulated in events)
        {
            byType[simulated.EventType]++;
            settled += simulated.Amount ?? BigInteger.Zero;
        }

        return new ExpectedTotals(byType, settled);
    }
}
