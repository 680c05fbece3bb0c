using Core.Domain.Workflows;

namespace Core.Domain.Tests;

/// <summary>The phase → status mapping and the lowercase names the API and the projection store.</summary>
public class WorkflowNameTests
{
    [TestCase(WorkflowPhase.Started, WorkflowStatus.Running, false)]
    [TestCase(WorkflowPhase.Approved, WorkflowStatus.Running, false)]
    [TestCase(WorkflowPhase.Settled, WorkflowStatus.Running, false)]
    [TestCase(WorkflowPhase.Completed, WorkflowStatus.Completed, true)]
    [TestCase(WorkflowPhase.Rejected, WorkflowStatus.Rejected, true)]
    [TestCase(WorkflowPhase.Failed, WorkflowStatus.Failed, true)]
    public void ToStatus_OfPhase_IsDocumentedStatus(WorkflowPhase phase, WorkflowStatus status, bool terminal)
    {
        Assert.That(phase.ToStatus(), Is.EqualTo(status));
        Assert.That(phase.IsTerminal(), Is.EqualTo(terminal));
    }

    [TestCase(WorkflowStatus.Running, "running")]
    [TestCase(WorkflowStatus.Completed, "completed")]
    [TestCase(WorkflowStatus.Failed, "failed")]
    [TestCase(WorkflowStatus.Rejected, "rejected")]
    public void ToName_OfStatus_IsLowercaseApiString(WorkflowStatus status, string name)
    {
        Assert.That(status.ToName(), Is.EqualTo(name));
    }

    [TestCase(WorkflowPhase.Started, "started")]
    [TestCase(WorkflowPhase.Approved, "approved")]
    [TestCase(WorkflowPhase.Settled, "settled")]
    [TestCase(WorkflowPhase.Completed, "completed")]
    [TestCase(WorkflowPhase.Rejected, "rejected")]
    [TestCase(WorkflowPhase.Failed, "failed")]
    public void PhaseName_RoundTripsThroughTryParsePhase(WorkflowPhase phase, string name)
    {
        Assert.That(phase.ToName(), Is.EqualTo(name));
        Assert.That(WorkflowPhaseNames.TryParsePhase(name, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(phase));
    }

    [TestCase(AnomalyKind.MissingStart, "missing_start")]
    [TestCase(AnomalyKind.DuplicateStart, "duplicate_start")]
    [TestCase(AnomalyKind.IllegalTransition, "illegal_transition")]
    [TestCase(AnomalyKind.OutOfOrder, "out_of_order")]
    public void AnomalyKindName_RoundTripsThroughTryParse(AnomalyKind kind, string name)
    {
        Assert.That(kind.ToName(), Is.EqualTo(name));
        Assert.That(AnomalyKindNames.TryParse(name, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(kind));
    }

    [TestCase("Started")]
    [TestCase("running")]
    [TestCase("")]
    public void TryParse_UnknownName_ReturnsFalse(string name)
    {
        Assert.That(WorkflowPhaseNames.TryParsePhase(name, out _), Is.False);
        Assert.That(AnomalyKindNames.TryParse(name, out _), Is.False);
    }
}
