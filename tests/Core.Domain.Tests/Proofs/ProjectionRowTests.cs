using Core.Domain.Proofs;
using Core.Domain.Workflows;

namespace Core.Domain.Tests.Proofs;

/// <summary>The row the worker writes for a state, and how two rows are told apart column by column.</summary>
public class ProjectionRowTests
{
    [Test]
    public void Of_State_TakesEveryColumnFromTheState()
    {
        var state = Scenarios.StateIn(WorkflowPhase.Completed);

        var row = ProjectionRow.Of(state);

        Assert.That(row, Is.EqualTo(new ProjectionRow(
            state.WorkflowId,
            "completed",
            "completed",
            state.Initiator,
            state.StartedAt,
            state.CompletedAt,
            state.FailureReason,
            state.FirstEvent,
            state.LastEvent,
            state.EventCount,
            Events.AboveUInt64,
            WorkflowJson.WriteDecisions(state.Decisions),
            WorkflowJson.WriteSettlements(state.Settlements),
            WorkflowJson.WriteAnomalies(state.Anomalies))));
    }

    [TestCase(WorkflowPhase.Started)]
    [TestCase(WorkflowPhase.Completed)]
    [TestCase(WorkflowPhase.Rejected)]
    [TestCase(WorkflowPhase.Failed)]
    public void ToState_OfTheRowOfAState_GivesThatState(WorkflowPhase phase)
    {
        var state = Scenarios.StateIn(phase);

        Assert.That(ProjectionRow.Of(state).ToState(), Is.EqualTo(state));
    }

    [Test]
    public void ToState_UnknownPhase_ThrowsFormatException() =>
        Assert.That(() => (ProofSamples.RowOfA with { Phase = "paused" }).ToState(), Throws.TypeOf<FormatException>());

    [Test]
    public void WithCanonicalJson_JsonbTextForm_GivesTheCanonicalText()
    {
        var canonical = ProofSamples.RowOfA;
        var settlement = Scenarios.StateIn(WorkflowPhase.Completed).Settlements[0];
        var asJsonbShowsIt = canonical with
        {
            Settlements = $$"""[{"to": "{{settlement.To}}", "from": "{{settlement.From}}", "amount": "{{settlement.Amount}}", "timestamp": {{settlement.Timestamp}}}]""",
        };

        Assert.That(asJsonbShowsIt.WithCanonicalJson(), Is.EqualTo(canonical));
    }

    [Test]
    public void WithCanonicalJson_ValueTheCanonicalTextCannotHold_StaysAsStored()
    {
        var edited = ProofSamples.RowOfA with { Decisions = """[{"approved": true, "reason": "ok", "timestamp": 1, "note": "by hand"}]""", Anomalies = "{}" };

        Assert.That(edited.WithCanonicalJson(), Is.EqualTo(edited));
    }

    [Test]
    public void Compare_EqualRows_FindsNothing() =>
        Assert.That(ProjectionRowComparison.Compare(ProofSamples.RowOfA, ProofSamples.RowOfA with { }), Is.Empty);

    [Test]
    public void Compare_ChangedColumns_NamesEachWithBothValues()
    {
        var rebuilt = ProofSamples.RowOfA;
        var stored = rebuilt with { Status = "running", FailureReason = "x", LastEvent = rebuilt.LastEvent with { LogIndex = 7 } };

        Assert.That(ProjectionRowComparison.Compare(stored, rebuilt), Is.EqualTo(new[]
        {
            new FieldDifference("status", "\"running\"", "\"completed\""),
            new FieldDifference("failure_reason", "\"x\"", "null"),
            new FieldDifference("last_event_log_index", "7", "0"),
        }));
    }

    [Test]
    public void Compare_NullAgainstTheTextNull_IsADifference() =>
        Assert.That(
            ProjectionRowComparison.Compare(ProofSamples.RowOfA with { Initiator = "null" }, ProofSamples.RowOfA with { Initiator = null }),
            Has.Count.EqualTo(1));
}
