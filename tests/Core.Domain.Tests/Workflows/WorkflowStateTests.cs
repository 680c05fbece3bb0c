using System.Numerics;
using Core.Domain.Workflows;
using static Core.Domain.Tests.Scenarios;

namespace Core.Domain.Tests;

public class WorkflowStateTests
{
    [Test]
    public void SettledTotal_WithoutSettlements_IsZero()
    {
        Assert.That(StateIn(WorkflowPhase.Approved).SettledTotal, Is.EqualTo(BigInteger.Zero));
    }

    [Test]
    public void SettledTotal_OfSeveralSettlementsAboveUInt64_IsTheirExactSum()
    {
        var uint256Max = (BigInteger.One << 256) - 1;
        var state = StateIn(WorkflowPhase.Settled) with
        {
            Settlements = ListOf(
                new Settlement(Events.Payer, Events.Payee, Events.AboveUInt64, 1),
                new Settlement(Events.Payer, Events.Payee, uint256Max, 2),
                new Settlement(Events.Payer, Events.Payee, 7, 3)),
        };

        Assert.That(state.SettledTotal, Is.EqualTo(BigInteger.Parse("115792089237316195423570985008687907853269984665640564039476030751986839191559")));
    }
}
