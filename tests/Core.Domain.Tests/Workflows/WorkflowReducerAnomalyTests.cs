using Core.Domain.Events;
using Core.Domain.Workflows;
using static Core.Domain.Tests.Scenarios;

namespace Core.Domain.Tests;

/// <summary>Input that does not fit the state machine: recorded as an anomaly, never thrown.</summary>
public class WorkflowReducerAnomalyTests
{
    private static readonly string Id = Events.WorkflowA;

    // ---- missing start: the first event seen is not WorkflowStarted ----

    [Test]
    public void Apply_ApprovalWithoutStart_ApprovesAndFlagsMissingStart()
    {
        var approval = Events.Decision(Id, 7, 1, 2, 700, approved: true, "ok");

        Assert.That(WorkflowReducer.Apply(null, approval), Is.EqualTo(Unstarted(approval) with
        {
            Phase = WorkflowPhase.Approved,
            Decisions = ListOf(new Decision(true, "ok", 700)),
        }));
    }

    [Test]
    public void Apply_RejectionWithoutStart_RejectsAndFlagsMissingStart()
    {
        var rejection = Events.Decision(Id, 7, 1, 2, 700, approved: false, "no");

        Assert.That(WorkflowReducer.Apply(null, rejection), Is.EqualTo(Unstarted(rejection) with
        {
            Phase = WorkflowPhase.Rejected,
            CompletedAt = 700,
            Decisions = ListOf(new Decision(false, "no", 700)),
        }));
    }

    [Test]
    public void Apply_PaymentWithoutStart_SettlesAndFlagsMissingStart()
    {
        var payment = Events.Payment(Id, 7, 1, 2, 700, Events.AboveUInt64);

        Assert.That(WorkflowReducer.Apply(null, payment), Is.EqualTo(Unstarted(payment) with
        {
            Phase = WorkflowPhase.Settled,
            Settlements = ListOf(new Settlement(Events.Payer, Events.Payee, Events.AboveUInt64, 700)),
        }));
    }

    [Test]
    public void Apply_CompletionWithoutStart_CompletesAndFlagsMissingStart()
    {
        var completion = Events.Completed(Id, 7, 1, 2, 700);

        Assert.That(WorkflowReducer.Apply(null, completion), Is.EqualTo(Unstarted(completion) with
        {
            Phase = WorkflowPhase.Completed,
            CompletedAt = 700,
        }));
    }

    [Test]
    public void Apply_FailureWithoutStart_FailsAndFlagsMissingStart()
    {
        var failure = Events.Failed(Id, 7, 1, 2, 700, "boom");

        Assert.That(WorkflowReducer.Apply(null, failure), Is.EqualTo(Unstarted(failure) with
        {
            Phase = WorkflowPhase.Failed,
            CompletedAt = 700,
            FailureReason = "boom",
        }));
    }

    [Test]
    public void Apply_RejectionPairWithoutStart_StaysRejectedWithReasonAndOneAnomaly()
    {
        var rejection = Events.Decision(Id, 7, 1, 2, 700, approved: false, "no");
        var failure = Events.Failed(Id, 7, 1, 3, 700, "no");

        var state = Replay([rejection, failure]);

        Assert.That(state, Is.EqualTo(Unstarted(rejection) with
        {
            Phase = WorkflowPhase.Rejected,
            CompletedAt = 700,
            FailureReason = "no",
            Decisions = ListOf(new Decision(false, "no", 700)),
            LastEvent = failure.Position,
            EventCount = 2,
        }));
    }

    // ---- duplicate start ----

    [TestCase(WorkflowPhase.Started)]
    [TestCase(WorkflowPhase.Approved)]
    [TestCase(WorkflowPhase.Settled)]
    [TestCase(WorkflowPhase.Completed)]
    [TestCase(WorkflowPhase.Rejected)]
    [TestCase(WorkflowPhase.Failed)]
    public void Apply_SecondStart_FlagsDuplicateStartAndKeepsFirstStart(WorkflowPhase phase)
    {
        var before = StateIn(phase);
        var secondStart = Events.Started(Id, AfterPath, 0, 0, 2000, initiator: Events.Payer);

        var state = WorkflowReducer.Apply(before, secondStart);

        Assert.That(state, Is.EqualTo(WithAnomaly(before, secondStart, AnomalyKind.DuplicateStart)));
    }

    // ---- illegal transitions ----

    private static IEnumerable<TestCaseData> IllegalTransitions()
    {
        TestCaseData Case(WorkflowPhase phase, WorkflowEvent @event, string what) =>
            new TestCaseData(phase, @event).SetArgDisplayNames(phase.ToString(), what);

        WorkflowEvent Approval() => Events.Decision(Id, AfterPath, 0, 0, 2000, approved: true, "again");
        WorkflowEvent Rejection() => Events.Decision(Id, AfterPath, 0, 0, 2000, approved: false, "again");
        WorkflowEvent Payment() => Events.Payment(Id, AfterPath, 0, 0, 2000, 5);
        WorkflowEvent Completion() => Events.Completed(Id, AfterPath, 0, 0, 2000);
        WorkflowEvent Failure() => Events.Failed(Id, AfterPath, 0, 0, 2000, "late");

        yield return Case(WorkflowPhase.Started, Payment(), "payment before approval");
        yield return Case(WorkflowPhase.Started, Completion(), "completion before approval");
        yield return Case(WorkflowPhase.Approved, Completion(), "completion before settlement");
        yield return Case(WorkflowPhase.Approved, Approval(), "second approval");
        yield return Case(WorkflowPhase.Approved, Rejection(), "rejection after approval");
        yield return Case(WorkflowPhase.Settled, Approval(), "approval after payment");
        yield return Case(WorkflowPhase.Settled, Rejection(), "rejection after payment");
        yield return Case(WorkflowPhase.Settled, Payment(), "second payment");
        foreach (var terminal in new[] { WorkflowPhase.Completed, WorkflowPhase.Rejected, WorkflowPhase.Failed })
        {
            yield return Case(terminal, Approval(), "approval");
            yield return Case(terminal, Rejection(), "rejection");
            yield return Case(terminal, Payment(), "payment");
            yield return Case(terminal, Completion(), "completion");
            yield return Case(terminal, Failure(), "failure");
        }
    }

    [TestCaseSource(nameof(IllegalTransitions))]
    public void Apply_EventThePhaseDoesNotAllow_FlagsIllegalTransitionAndChangesNothingElse(WorkflowPhase phase, WorkflowEvent @event)
    {
        var before = StateIn(phase);

        var state = WorkflowReducer.Apply(before, @event);

        Assert.That(state, Is.EqualTo(WithAnomaly(before, @event, AnomalyKind.IllegalTransition)));
    }

    [TestCase(11, 1, 0, TestName = "Apply_FailureAfterRejectionInNextTransactionOfSameBlock_IsIllegalTransition")]
    [TestCase(12, 0, 1, TestName = "Apply_FailureAfterRejectionInLaterBlock_IsIllegalTransition")]
    public void Apply_FailureAfterRejectionInAnotherTransaction_IsIllegalTransition(long block, int tx, int log)
    {
        var before = Replay([Events.Started(Id, 10, 0, 0, 1000), Events.Decision(Id, 11, 0, 0, 1100, approved: false, "no")]);
        var failure = Events.Failed(Id, block, tx, log, 1100, "unrelated");

        var state = WorkflowReducer.Apply(before, failure);

        Assert.That(state, Is.EqualTo(WithAnomaly(before, failure, AnomalyKind.IllegalTransition)));
        Assert.That(state.FailureReason, Is.Null);
    }

    [Test]
    public void Apply_SecondFailureInTheRejectionsTransaction_IsIllegalAndKeepsFirstReason()
    {
        var before = StateIn(WorkflowPhase.Rejected);
        var second = Events.Failed(Id, 11, 0, 2, 1100, "second");

        var state = WorkflowReducer.Apply(before, second);

        Assert.That(state, Is.EqualTo(WithAnomaly(before, second, AnomalyKind.IllegalTransition)));
        Assert.That(state.FailureReason, Is.EqualTo(RejectionReason));
    }

    // ---- out-of-order input ----

    private static IEnumerable<TestCaseData> LateEvents()
    {
        TestCaseData Case(WorkflowEvent late, string what) => new TestCaseData(late).SetArgDisplayNames(what);

        // The last applied event sits at 12/3/7 (see OutOfOrderHistory).
        yield return Case(Events.Completed(Id, 12, 3, 6, 1200), "same transaction, lower log");
        yield return Case(Events.Failed(Id, 12, 2, 9, 1200, "x"), "same block, lower transaction");
        yield return Case(Events.Decision(Id, 11, 9, 9, 1100, approved: false, "x"), "lower block");
        yield return Case(Events.Payment(Id, 12, 0, 0, 1200, 1), "same block, first log");
        yield return Case(Events.Started(Id, 1, 0, 0, 100), "start long before");
    }

    private static WorkflowEvent[] OutOfOrderHistory() =>
        [.. PathTo(WorkflowPhase.Approved), Events.Payment(Id, 12, 3, 7, 1200, Events.AboveUInt64)];

    [TestCaseSource(nameof(LateEvents))]
    public void Apply_EventBeforeLastApplied_FlagsOutOfOrderAndChangesNothingElse(WorkflowEvent late)
    {
        var before = Replay(OutOfOrderHistory());

        var state = WorkflowReducer.Apply(before, late);

        Assert.That(state, Is.EqualTo(before with
        {
            Anomalies = ListOf(new Anomaly(AnomalyKind.OutOfOrder, late.Type, late.Position, WorkflowPhase.Settled)),
        }));
        Assert.That(state.LastEvent, Is.EqualTo(new EventPosition(12, 3, 7)));
        Assert.That(state.EventCount, Is.EqualTo(3));
    }

    [Test]
    public void Apply_LateEventForTerminalWorkflow_IsOutOfOrderNotIllegal()
    {
        var before = StateIn(WorkflowPhase.Completed);
        var late = Events.Payment(Id, 5, 0, 0, 500, 1);

        var state = WorkflowReducer.Apply(before, late);

        Assert.That(state.Anomalies, Is.EqualTo(ListOf(new Anomaly(AnomalyKind.OutOfOrder, EventType.PaymentExecuted, late.Position, WorkflowPhase.Completed))));
    }

    // ---- the same event delivered twice in a row ----

    private static IEnumerable<TestCaseData> Histories()
    {
        foreach (var phase in Enum.GetValues<WorkflowPhase>())
        {
            yield return new TestCaseData((object)PathTo(phase)).SetArgDisplayNames($"path to {phase}");
        }

        WorkflowEvent[] orphan = [Events.Payment(Id, 7, 0, 0, 700, 3)];
        WorkflowEvent[] illegal = [.. PathTo(WorkflowPhase.Started), Events.Completed(Id, AfterPath, 0, 0, 2000)];
        WorkflowEvent[] duplicateStart = [.. PathTo(WorkflowPhase.Started), Events.Started(Id, AfterPath, 0, 0, 2000)];
        yield return new TestCaseData((object)orphan).SetArgDisplayNames("orphan payment");
        yield return new TestCaseData((object)illegal).SetArgDisplayNames("illegal completion");
        yield return new TestCaseData((object)duplicateStart).SetArgDisplayNames("duplicate start");
    }

    [TestCaseSource(nameof(Histories))]
    public void Apply_LastEventDeliveredAgain_ChangesNothing(WorkflowEvent[] history)
    {
        var before = Replay(history);
        var again = history[^1] with { };

        Assert.That(WorkflowReducer.Apply(before, again), Is.EqualTo(before));
    }

    // ---- caller bug ----

    [Test]
    public void Apply_EventOfAnotherWorkflow_ThrowsArgumentException()
    {
        var state = StateIn(WorkflowPhase.Started);
        var foreign = Events.Decision(Events.WorkflowB, AfterPath, 0, 0, 2000, approved: true, "ok");

        Assert.That(() => WorkflowReducer.Apply(state, foreign), Throws.ArgumentException);
    }

    private static WorkflowState Unstarted(WorkflowEvent first) => new(
        WorkflowId: first.WorkflowId,
        Phase: WorkflowPhase.Started,
        Initiator: null,
        StartedAt: null,
        CompletedAt: null,
        FailureReason: null,
        FirstEvent: first.Position,
        LastEvent: first.Position,
        EventCount: 1,
        Decisions: ValueList<Decision>.Empty,
        Settlements: ValueList<Settlement>.Empty,
        Anomalies: ListOf(new Anomaly(AnomalyKind.MissingStart, first.Type, first.Position, PhaseBefore: null)));

    /// <summary>What an applied but rejected event leaves: the anomaly, and the ordering guard moved past it.</summary>
    private static WorkflowState WithAnomaly(WorkflowState before, WorkflowEvent @event, AnomalyKind kind) => before with
    {
        Anomalies = before.Anomalies.Add(new Anomaly(kind, @event.Type, @event.Position, before.Phase)),
        LastEvent = @event.Position,
        EventCount = before.EventCount + 1,
    };
}
