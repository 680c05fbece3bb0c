using Core.Domain.Workflows;
using static Core.Domain.Tests.Scenarios;

namespace Core.Domain.Tests;

/// <summary>Each legal transition of the state machine, with the whole resulting state.</summary>
public class WorkflowReducerTransitionTests
{
    private static readonly string Id = Events.WorkflowA;

    [Test]
    public void Apply_StartWithNoState_StartsRunningWorkflow()
    {
        var started = Events.Started(Id, 10, 2, 3, 1000);

        var state = WorkflowReducer.Apply(null, started);

        Assert.That(state, Is.EqualTo(new WorkflowState(
            WorkflowId: Id,
            Phase: WorkflowPhase.Started,
            Initiator: Events.Initiator,
            StartedAt: 1000,
            CompletedAt: null,
            FailureReason: null,
            FirstEvent: started.Position,
            LastEvent: started.Position,
            EventCount: 1,
            Decisions: ValueList<Decision>.Empty,
            Settlements: ValueList<Settlement>.Empty,
            Anomalies: ValueList<Anomaly>.Empty)));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
    }

    [Test]
    public void Apply_ApprovalWhileStarted_ApprovesAndRecordsDecision()
    {
        var before = StateIn(WorkflowPhase.Started);
        var approval = Events.Decision(Id, 11, 1, 4, 1100, approved: true, "ok");

        var state = WorkflowReducer.Apply(before, approval);

        Assert.That(state, Is.EqualTo(before with
        {
            Phase = WorkflowPhase.Approved,
            Decisions = ListOf(new Decision(true, "ok", 1100)),
            LastEvent = approval.Position,
            EventCount = 2,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
    }

    [Test]
    public void Apply_RejectionWhileStarted_RejectsAtDecisionTimestamp()
    {
        var before = StateIn(WorkflowPhase.Started);
        var rejection = Events.Decision(Id, 11, 1, 4, 1100, approved: false, "no");

        var state = WorkflowReducer.Apply(before, rejection);

        Assert.That(state, Is.EqualTo(before with
        {
            Phase = WorkflowPhase.Rejected,
            CompletedAt = 1100,
            Decisions = ListOf(new Decision(false, "no", 1100)),
            LastEvent = rejection.Position,
            EventCount = 2,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Rejected));
    }

    [Test]
    public void Apply_FailureInTheRejectionsTransaction_SetsFailureReasonAndStaysRejected()
    {
        var rejection = Events.Decision(Id, 11, 1, 4, 1100, approved: false, "no");
        var before = Replay([Events.Started(Id, 10, 0, 0, 1000), rejection]);
        var failure = Events.Failed(Id, 11, 1, 5, 1100, "rejected: no");

        var state = WorkflowReducer.Apply(before, failure);

        Assert.That(state, Is.EqualTo(before with
        {
            FailureReason = "rejected: no",
            LastEvent = failure.Position,
            EventCount = 3,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Rejected));
    }

    [Test]
    public void Apply_PaymentWhileApproved_SettlesAndRecordsSettlement()
    {
        var before = StateIn(WorkflowPhase.Approved);
        var payment = Events.Payment(Id, 12, 3, 7, 1250, Events.AboveUInt64, from: Events.Payer, to: Events.Payee);

        var state = WorkflowReducer.Apply(before, payment);

        Assert.That(state, Is.EqualTo(before with
        {
            Phase = WorkflowPhase.Settled,
            Settlements = ListOf(new Settlement(Events.Payer, Events.Payee, Events.AboveUInt64, 1250)),
            LastEvent = payment.Position,
            EventCount = 3,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Running));
        Assert.That(state.SettledTotal, Is.EqualTo(Events.AboveUInt64));
    }

    [Test]
    public void Apply_CompletionWhileSettled_CompletesAtEventTimestamp()
    {
        var before = StateIn(WorkflowPhase.Settled);
        var completion = Events.Completed(Id, 13, 0, 2, 1300);

        var state = WorkflowReducer.Apply(before, completion);

        Assert.That(state, Is.EqualTo(before with
        {
            Phase = WorkflowPhase.Completed,
            CompletedAt = 1300,
            LastEvent = completion.Position,
            EventCount = 4,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Completed));
    }

    [TestCase(WorkflowPhase.Started)]
    [TestCase(WorkflowPhase.Approved)]
    [TestCase(WorkflowPhase.Settled)]
    public void Apply_FailureWhileRunning_FailsWithReasonAtEventTimestamp(WorkflowPhase phase)
    {
        var before = StateIn(phase);
        var failure = Events.Failed(Id, AfterPath, 0, 0, 2000, "operator \"stop\" – 停止");

        var state = WorkflowReducer.Apply(before, failure);

        Assert.That(state, Is.EqualTo(before with
        {
            Phase = WorkflowPhase.Failed,
            CompletedAt = 2000,
            FailureReason = "operator \"stop\" – 停止",
            LastEvent = failure.Position,
            EventCount = before.EventCount + 1,
        }));
        Assert.That(state.Status, Is.EqualTo(WorkflowStatus.Failed));
    }

    [TestCase(WorkflowPhase.Started, WorkflowStatus.Running)]
    [TestCase(WorkflowPhase.Approved, WorkflowStatus.Running)]
    [TestCase(WorkflowPhase.Settled, WorkflowStatus.Running)]
    [TestCase(WorkflowPhase.Completed, WorkflowStatus.Completed)]
    [TestCase(WorkflowPhase.Rejected, WorkflowStatus.Rejected)]
    [TestCase(WorkflowPhase.Failed, WorkflowStatus.Failed)]
    public void Status_OfWorkflowReplayedToPhase_IsThatPhasesStatus(WorkflowPhase phase, WorkflowStatus expected)
    {
        var state = StateIn(phase);

        Assert.That(state.Phase, Is.EqualTo(phase));
        Assert.That(state.Status, Is.EqualTo(expected));
        Assert.That(state.Anomalies, Is.Empty);
    }
}
