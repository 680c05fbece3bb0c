using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Proofs;

namespace Core.Domain.Tests.Proofs;

/// <summary>The documented byte layout, and that every field reaches the bytes.</summary>
public class CanonicalEncodingTests
{
    [Test]
    public void Event_WorkflowCompleted_IsTypeIdPositionTimestampInBigEndian()
    {
        var bytes = CanonicalEncoding.Of(new WorkflowCompleted("0xab", new EventPosition(258, 3, 4), 1700000000));

        Assert.That(Convert.ToHexStringLower(bytes), Is.EqualTo(
            "00000012" + Convert.ToHexStringLower("WORKFLOW_COMPLETED"u8) // text: uint32 length, UTF-8
            + "00000004" + Convert.ToHexStringLower("0xab"u8)
            + "0000000000000102" + "00000003" + "00000004" // position: int64 block, int32 tx, int32 log
            + "000000006553f100")); // int64 timestamp
    }

    [Test]
    public void Event_Payment_WritesAmountAsItsDecimalString()
    {
        var bytes = CanonicalEncoding.Of(Events.Payment("0x01", 1, 0, 0, 5, Events.AboveUInt64, from: "0x02", to: "0x03"));

        Assert.That(Convert.ToHexStringLower(bytes), Does.EndWith(
            "00000004" + Convert.ToHexStringLower("0x02"u8)
            + "00000004" + Convert.ToHexStringLower("0x03"u8)
            + "00000014" + Convert.ToHexStringLower("18446744073709551617"u8)));
    }

    [Test]
    public void Event_Text_IsLengthPrefixedUtf8Bytes()
    {
        var bytes = CanonicalEncoding.Of(Events.Failed("0x01", 1, 0, 0, 5, "拒否"));

        Assert.That(Convert.ToHexStringLower(bytes), Does.EndWith("00000006" + "e68b92e590a6"));
    }

    [Test]
    public void Row_AbsentAndPresentOptionals_AreFlaggedByOneByte()
    {
        var row = ProofSamples.RowOfA with { Initiator = null, StartedAt = 7 };
        var bytes = Convert.ToHexStringLower(CanonicalEncoding.Of(row));

        var afterPhase = "00000009" + Convert.ToHexStringLower("completed"u8) + "00000009" + Convert.ToHexStringLower("completed"u8);
        Assert.That(bytes, Does.Contain(afterPhase + "00" + "01" + "0000000000000007"));
    }

    public static IEnumerable<TestCaseData> EventVariants()
    {
        var started = Events.Started("0x01", 1, 2, 3, 4, initiator: "0x0a");
        var decision = Events.Decision("0x01", 1, 2, 3, 4, approved: true, "r");
        var payment = Events.Payment("0x01", 1, 2, 3, 4, 5, from: "0x0a", to: "0x0b");
        var completed = Events.Completed("0x01", 1, 2, 3, 4);
        var failed = Events.Failed("0x01", 1, 2, 3, 4, "r");
        var variants = new (WorkflowEvent Original, WorkflowEvent Changed, string Field)[]
        {
            (started, started with { WorkflowId = "0x02" }, "workflow id"),
            (started, started with { Position = new EventPosition(9, 2, 3) }, "block"),
            (started, started with { Position = new EventPosition(1, 9, 3) }, "transaction index"),
            (started, started with { Position = new EventPosition(1, 2, 9) }, "log index"),
            (started, started with { Timestamp = 9 }, "timestamp"),
            (started, started with { Initiator = "0x0b" }, "initiator"),
            (decision, decision with { Approved = false }, "approved"),
            (decision, decision with { Reason = "s" }, "decision reason"),
            (payment, payment with { From = "0x0c" }, "from"),
            (payment, payment with { To = "0x0c" }, "to"),
            (payment, payment with { Amount = 6 }, "amount"),
            (payment, payment with { Amount = Events.AboveUInt64 }, "amount above 2^64"),
            (failed, failed with { Reason = "s" }, "failure reason"),
            (completed, new WorkflowFailed("0x01", new EventPosition(1, 2, 3), 4, ""), "event type"),
        };
        return variants.Select(variant => new TestCaseData(variant.Original, variant.Changed).SetArgDisplayNames(variant.Field));
    }

    [TestCaseSource(nameof(EventVariants))]
    public void Event_AnyFieldChange_ChangesTheBytes(WorkflowEvent original, WorkflowEvent changed)
    {
        Assert.Multiple(() =>
        {
            Assert.That(CanonicalEncoding.Of(changed), Is.Not.EqualTo(CanonicalEncoding.Of(original)));
            Assert.That(CanonicalEncoding.Of(original with { }), Is.EqualTo(CanonicalEncoding.Of(original)));
        });
    }

    public static IEnumerable<TestCaseData> RowVariants()
    {
        var row = ProofSamples.RowOfA;
        var variants = new (ProjectionRow Changed, string Field)[]
        {
            (row with { WorkflowId = Events.WorkflowB }, "workflow id"),
            (row with { Status = "running" }, "status"),
            (row with { Phase = "settled" }, "phase"),
            (row with { Initiator = Events.Payer }, "initiator"),
            (row with { Initiator = null }, "initiator null"),
            (row with { StartedAt = 1 }, "started at"),
            (row with { StartedAt = null }, "started at null"),
            (row with { CompletedAt = 1 }, "completed at"),
            (row with { CompletedAt = null }, "completed at null"),
            (row with { FailureReason = "" }, "failure reason"),
            (row with { FirstEvent = row.FirstEvent with { BlockNumber = 1 } }, "first event block"),
            (row with { FirstEvent = row.FirstEvent with { TransactionIndex = 1 } }, "first event transaction"),
            (row with { FirstEvent = row.FirstEvent with { LogIndex = 1 } }, "first event log"),
            (row with { LastEvent = row.LastEvent with { BlockNumber = 1 } }, "last event block"),
            (row with { LastEvent = row.LastEvent with { TransactionIndex = 1 } }, "last event transaction"),
            (row with { LastEvent = row.LastEvent with { LogIndex = 1 } }, "last event log"),
            (row with { EventCount = 5 }, "event count"),
            (row with { SettledTotal = row.SettledTotal + BigInteger.One }, "settled total"),
            (row with { Decisions = "[]" }, "decisions"),
            (row with { Settlements = "[]" }, "settlements"),
            (row with { Anomalies = "[{}]" }, "anomalies"),
        };
        return variants.Select(variant => new TestCaseData(row, variant.Changed).SetArgDisplayNames(variant.Field));
    }

    [TestCaseSource(nameof(RowVariants))]
    public void Row_AnyFieldChange_ChangesTheBytesAndTheProjectionHash(ProjectionRow original, ProjectionRow changed)
    {
        Assert.Multiple(() =>
        {
            Assert.That(CanonicalEncoding.Of(changed), Is.Not.EqualTo(CanonicalEncoding.Of(original)));
            Assert.That(ProofSamples.ProjectionHashOf([changed]), Is.Not.EqualTo(ProofSamples.ProjectionHashOf([original])));
        });
    }

    [Test]
    public void Row_MovingBytesBetweenAdjacentTexts_ChangesTheBytes()
    {
        var row = ProofSamples.RowOfA;

        Assert.That(
            CanonicalEncoding.Of(row with { Decisions = "[]x", Settlements = "[]" }),
            Is.Not.EqualTo(CanonicalEncoding.Of(row with { Decisions = "[]", Settlements = "x[]" })));
    }
}
