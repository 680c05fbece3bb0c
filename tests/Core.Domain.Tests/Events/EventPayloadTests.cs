using System.Buffers;
using System.Numerics;
using System.Text;
using Core.Domain.Events;

namespace Core.Domain.Tests;

/// <summary>The stored payload must rebuild the event exactly, without the chain.</summary>
public class EventPayloadTests
{
    private const string AwkwardReason = "say \"no\" \\ déjà vu – 拒否\nline 2";
    private static readonly string Id = Events.WorkflowA;
    private static readonly BigInteger Uint256Max = (BigInteger.One << 256) - 1;

    private static IEnumerable<TestCaseData> AllEventTypes()
    {
        TestCaseData Case(WorkflowEvent @event, string what) => new TestCaseData(@event).SetArgDisplayNames(what);

        yield return Case(Events.Started(Id, 10, 1, 2, 1000), "started");
        yield return Case(Events.Decision(Id, 11, 0, 0, 1100, approved: true, AwkwardReason), "approval");
        yield return Case(Events.Decision(Id, 11, 0, 0, 1100, approved: false, ""), "rejection, empty reason");
        yield return Case(Events.Payment(Id, 12, 3, 4, 1200, Events.AboveUInt64), "payment above 2^64");
        yield return Case(Events.Payment(Id, 12, 3, 4, 1200, Uint256Max), "payment of uint256 max");
        yield return Case(Events.Completed(Id, 13, 0, 0, 1300), "completed");
        yield return Case(Events.Failed(Id, 14, 0, 0, 1400, AwkwardReason), "failed");
    }

    [TestCaseSource(nameof(AllEventTypes))]
    public void Read_OfWrittenPayload_GivesEqualEvent(WorkflowEvent @event)
    {
        var read = EventPayload.Read(@event.Type, @event.WorkflowId, @event.Position, @event.Timestamp, Encoding.UTF8.GetBytes(Written(@event)));

        Assert.That(read, Is.EqualTo(@event));
    }

    private static IEnumerable<TestCaseData> DocumentedShapes()
    {
        TestCaseData Case(WorkflowEvent @event, string json) => new TestCaseData(@event, json).SetArgDisplayNames(@event.Type.ToName());

        yield return Case(Events.Started(Id, 1, 0, 0, 1), $$"""{"initiator":"{{Events.Initiator}}"}""");
        yield return Case(Events.Decision(Id, 1, 0, 0, 1, approved: false, "say \"no\" – 拒否"), """{"approved":false,"reason":"say \"no\" – 拒否"}""");
        yield return Case(
            Events.Payment(Id, 1, 0, 0, 1, Events.AboveUInt64),
            $$"""{"from":"{{Events.Payer}}","to":"{{Events.Payee}}","amount":"18446744073709551617"}""");
        yield return Case(Events.Completed(Id, 1, 0, 0, 1), "{}");
        yield return Case(Events.Failed(Id, 1, 0, 0, 1, "boom"), """{"reason":"boom"}""");
    }

    [TestCaseSource(nameof(DocumentedShapes))]
    public void Write_Event_GivesCompactPayloadOfDataFieldsOnly(WorkflowEvent @event, string expected)
    {
        Assert.That(Written(@event), Is.EqualTo(expected));
    }

    [Test]
    public void Write_OneEventAfterAnother_AppendsEachPayloadToItsOutput()
    {
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        EventPayload.Write(first, Events.Failed(Id, 1, 0, 0, 1, "boom"));
        EventPayload.Write(second, Events.Completed(Id, 1, 0, 0, 1));
        EventPayload.Write(first, Events.Failed(Id, 1, 0, 0, 1, "again"));

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(first.WrittenSpan), Is.EqualTo("""{"reason":"boom"}{"reason":"again"}"""));
            Assert.That(Encoding.UTF8.GetString(second.WrittenSpan), Is.EqualTo("{}"));
        });
    }

    [Test]
    public void Write_AnAmountLongerThanAUint256_IsWrittenInFull()
    {
        var huge = BigInteger.Pow(10, 90) + 7;

        Assert.That(Written(Events.Payment(Id, 12, 3, 4, 1200, huge)), Does.Contain($"\"amount\":\"{huge}\""));
    }

    private static string Written(WorkflowEvent @event)
    {
        var output = new ArrayBufferWriter<byte>();
        EventPayload.Write(output, @event);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static IEnumerable<TestCaseData> StoredForms()
    {
        TestCaseData Case(WorkflowEvent @event, string payload, string what) => new TestCaseData(@event, payload).SetArgDisplayNames(what);

        yield return Case(
            Events.Payment(Id, 1, 0, 0, 1, Events.AboveUInt64),
            $$"""{"to": "{{Events.Payee}}", "from": "{{Events.Payer}}", "amount": "18446744073709551617"}""",
            "jsonb's key order and spacing");
        yield return Case(Events.Decision(Id, 1, 0, 0, 1, approved: true, "ok"), """{"reason":"ok","approved":true,"extra":{"a":[1,2]}}""", "an unknown field");
        yield return Case(Events.Failed(Id, 1, 0, 0, 1, "no \"way\" – 拒否"), """{"r\u0065ason":"no \"way\" \u2013 \u62d2\u5426"}""", "escaped name and value");
        yield return Case(Events.Completed(Id, 1, 0, 0, 1), """{"reason":"not ours"}""", "a field of another event type");
    }

    [TestCaseSource(nameof(StoredForms))]
    public void Read_PayloadAsJsonbStoresIt_GivesEqualEvent(WorkflowEvent @event, string payload)
    {
        var read = EventPayload.Read(@event.Type, @event.WorkflowId, @event.Position, @event.Timestamp, Encoding.UTF8.GetBytes(payload));

        Assert.That(read, Is.EqualTo(@event));
    }

    private static IEnumerable<TestCaseData> UnreadablePayloads()
    {
        TestCaseData Case(EventType type, string payload, string what) => new TestCaseData(type, payload).SetArgDisplayNames(what);

        yield return Case(EventType.WorkflowStarted, "{}", "started without initiator");
        yield return Case(EventType.DecisionRecorded, """{"reason":"ok"}""", "decision without approved");
        yield return Case(EventType.DecisionRecorded, """{"approved":true}""", "decision without reason");
        yield return Case(EventType.PaymentExecuted, """{"to":"0x3","amount":"1"}""", "payment without from");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","amount":"1"}""", "payment without to");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","to":"0x3"}""", "payment without amount");
        yield return Case(EventType.WorkflowFailed, "{}", "failed without reason");
        yield return Case(EventType.WorkflowFailed, """{"reason":null}""", "null reason");
        yield return Case(EventType.DecisionRecorded, """{"approved":"yes","reason":"ok"}""", "approved not a boolean");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","to":"0x3","amount":1}""", "amount as a JSON number");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","to":"0x3","amount":"-1"}""", "negative amount");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","to":"0x3","amount":"1e3"}""", "amount in exponent form");
        yield return Case(EventType.WorkflowStarted, """{"initiator":"0x1""", "truncated JSON");
        yield return Case(EventType.WorkflowCompleted, "", "empty payload");
        yield return Case(EventType.WorkflowStarted, "null", "null payload");
        yield return Case(EventType.WorkflowFailed, """{"reason":"x"} {}""", "trailing data");
        yield return Case(EventType.WorkflowStarted, """["initiator"]""", "an array");
        yield return Case(EventType.PaymentExecuted, $$"""{"from":"0x2","to":"0x3","amount":"{{new string('9', 79)}}"}""", "amount above 78 digits");
        yield return Case(EventType.PaymentExecuted, """{"from":"0x2","to":"0x3","amount":"\u0031"}""", "amount escaped");
    }

    [TestCaseSource(nameof(UnreadablePayloads))]
    public void Read_UnreadablePayload_ThrowsInvalidEventPayloadException(EventType type, string payload)
    {
        var at = new EventPosition(7, 1, 2);

        Assert.That(
            () => EventPayload.Read(type, Id, at, 700, Encoding.UTF8.GetBytes(payload)),
            Throws.TypeOf<InvalidEventPayloadException>()
                .With.Message.Contains($"{type.ToName()} at 7/1/2")
                .And.InnerException.Not.Null);
    }
}
