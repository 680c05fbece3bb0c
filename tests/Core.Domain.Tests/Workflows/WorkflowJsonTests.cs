using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Workflows;
using static Core.Domain.Tests.Scenarios;

namespace Core.Domain.Tests;

/// <summary>The projection's list columns: exact documented shapes, and exact round trips.</summary>
public class WorkflowJsonTests
{
    [Test]
    public void WriteDecisions_GivesDocumentedShape()
    {
        var json = WorkflowJson.WriteDecisions([new Decision(true, "ok", 5), new Decision(false, "say \"no\" – 拒否", 1700000000)]);

        Assert.That(json, Is.EqualTo("""[{"approved":true,"reason":"ok","timestamp":5},{"approved":false,"reason":"say \"no\" – 拒否","timestamp":1700000000}]"""));
    }

    [Test]
    public void WriteSettlements_GivesDocumentedShapeWithAmountAsDecimalString()
    {
        var json = WorkflowJson.WriteSettlements([new Settlement("0x02", "0x03", Events.AboveUInt64, 7)]);

        Assert.That(json, Is.EqualTo("""[{"from":"0x02","to":"0x03","amount":"18446744073709551617","timestamp":7}]"""));
    }

    [Test]
    public void WriteAnomalies_GivesDocumentedShapeWithNullOrNamedPhase()
    {
        var json = WorkflowJson.WriteAnomalies(
        [
            new Anomaly(AnomalyKind.MissingStart, EventType.PaymentExecuted, new EventPosition(1, 2, 3), null),
            new Anomaly(AnomalyKind.IllegalTransition, EventType.WorkflowCompleted, new EventPosition(4, 5, 6), WorkflowPhase.Approved),
        ]);

        Assert.That(json, Is.EqualTo(
            """[{"kind":"missing_start","event":"PAYMENT_EXECUTED","blockNumber":1,"transactionIndex":2,"logIndex":3,"phaseBefore":null},"""
            + """{"kind":"illegal_transition","event":"WORKFLOW_COMPLETED","blockNumber":4,"transactionIndex":5,"logIndex":6,"phaseBefore":"approved"}]"""));
    }

    [Test]
    public void Write_EmptyLists_GivesEmptyArray()
    {
        Assert.That(WorkflowJson.WriteDecisions([]), Is.EqualTo("[]"));
        Assert.That(WorkflowJson.WriteSettlements([]), Is.EqualTo("[]"));
        Assert.That(WorkflowJson.WriteAnomalies([]), Is.EqualTo("[]"));
    }

    [Test]
    public void ReadDecisions_OfWrittenDecisions_IsEqual()
    {
        var decisions = ListOf(new Decision(true, "ok", 5), new Decision(false, "say \"no\" \\ – 拒否 😀\n", long.MaxValue), new Decision(false, "", 0));

        Assert.That(WorkflowJson.ReadDecisions(WorkflowJson.WriteDecisions(decisions)), Is.EqualTo(decisions));
    }

    [Test]
    public void ReadSettlements_OfWrittenSettlements_IsEqual()
    {
        var settlements = ListOf(
            new Settlement(Events.Payer, Events.Payee, Events.AboveUInt64, 7),
            new Settlement(Events.Payee, Events.Payer, (BigInteger.One << 256) - 1, 8),
            new Settlement(Events.Payer, Events.Payee, BigInteger.One, 9));

        Assert.That(WorkflowJson.ReadSettlements(WorkflowJson.WriteSettlements(settlements)), Is.EqualTo(settlements));
    }

    [Test]
    public void ReadAnomalies_OfEveryKindEventAndPhase_IsEqual()
    {
        var phases = Enum.GetValues<WorkflowPhase>().Select(phase => (WorkflowPhase?)phase).Prepend(null).ToArray();
        var anomalies = ValueList<Anomaly>.From(
            from kind in Enum.GetValues<AnomalyKind>()
            from type in Enum.GetValues<EventType>()
            from phase in phases
            select new Anomaly(kind, type, new EventPosition(int.MaxValue + 5L, (int)kind, (int)type), phase));

        var read = WorkflowJson.ReadAnomalies(WorkflowJson.WriteAnomalies(anomalies));

        Assert.That(read, Is.EqualTo(anomalies));
        Assert.That(read, Has.Count.EqualTo(4 * 5 * 7));
    }

    [TestCase("""[{"kind":"weird","event":"WORKFLOW_FAILED","blockNumber":1,"transactionIndex":0,"logIndex":0,"phaseBefore":null}]""")]
    [TestCase("""[{"kind":"out_of_order","event":"WORKFLOW_FAILED","blockNumber":1,"transactionIndex":0,"logIndex":0,"phaseBefore":"running"}]""")]
    public void ReadAnomalies_UnknownName_ThrowsFormatException(string json)
    {
        Assert.That(() => WorkflowJson.ReadAnomalies(json), Throws.TypeOf<FormatException>());
    }
}
