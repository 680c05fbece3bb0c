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
