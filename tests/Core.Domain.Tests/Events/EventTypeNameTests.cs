using Core.Domain.Events;

namespace Core.Domain.Tests;

public class EventTypeNameTests
{
    [TestCase(EventType.WorkflowStarted, "WORKFLOW_STARTED")]
    [TestCase(EventType.DecisionRecorded, "DECISION_RECORDED")]
    [TestCase(EventType.PaymentExecuted, "PAYMENT_EXECUTED")]
    [TestCase(EventType.WorkflowCompleted, "WORKFLOW_COMPLETED")]
    [TestCase(EventType.WorkflowFailed, "WORKFLOW_FAILED")]
    public void EventTypeName_IsSeedNameAndRoundTrips(EventType type, string name)
    {
        Assert.That(type.ToName(), Is.EqualTo(name));
        Assert.That(EventTypeNames.TryParse(name, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(type));
    }

    [TestCase("WorkflowStarted")]
    [TestCase("workflow_started")]
    [TestCase("")]
    public void TryParse_UnknownName_ReturnsFalse(string name)
    {
        Assert.That(EventTypeNames.TryParse(name, out _), Is.False);
    }
}
