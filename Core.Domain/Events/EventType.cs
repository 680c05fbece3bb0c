namespace Core.Domain.Events;

/// <summary>The five contract events the observer understands.</summary>
public enum EventType
{
    WorkflowStarted,
    DecisionRecorded,
    PaymentExecuted,
    WorkflowCompleted,
    WorkflowFailed,
}

/// <summary>The names the event log stores and the API shows (the seed's upper snake case).</summary>
public static class EventTypeNames
{
    public const string WorkflowStarted = "WORKFLOW_STARTED";
    public const string DecisionRecorded = "DECISION_RECORDED";
    public const string PaymentExecuted = "PAYMENT_EXECUTED";
    public const string WorkflowCompleted = "WORKFLOW_COMPLETED";
    public const string WorkflowFailed = "WORKFLOW_FAILED";

    public static string ToName(this EventType type) => type switch
    {
        EventType.WorkflowStarted => WorkflowStarted,
        EventType.DecisionRecorded => DecisionRecorded,
        EventType.PaymentExecuted => PaymentExecuted,
        EventType.WorkflowCompleted => WorkflowCompleted,
        EventType.WorkflowFailed => WorkflowFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
    };

    public static bool TryParse(string name, out EventType type)
    {
        (var known, type) = name switch
        {
            WorkflowStarted => (true, EventType.WorkflowStarted),
            DecisionRecorded => (true, EventType.DecisionRecorded),
            PaymentExecuted => (true, EventType.PaymentExecuted),
            WorkflowCompleted => (true, EventType.WorkflowCompleted),
            WorkflowFailed => (true, EventType.WorkflowFailed),
            _ => (false, default),
        };
        return known;
    }
}
