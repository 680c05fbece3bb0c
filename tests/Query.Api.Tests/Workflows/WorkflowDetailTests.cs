using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Workflows;

public sealed class WorkflowDetailTests
{
    private static readonly string[] TopLevelKeys = ["workflow", "decisions", "settlements", "events", "anomalies"];

    private static readonly string[] WorkflowKeys =
        ["workflowId", "status", "phase", "initiator", "startedAt", "completedAt", "failureReason", "settledTotal"];

    private static readonly string[] TimelineKeys =
        ["eventType", "blockNumber", "transactionIndex", "logIndex", "txHash", "txSender", "blockHash", "blockTimestamp", "payload"];

    [Test]
    public async Task Detail_CompletedWorkflow_HasTheSeedShapeAndTheExactUint256Amount()
    {
        var detail = await DetailAsync(Seed.Completed);

        Assert.Multiple(() =>
        {
            Assert.That(detail.Select(property => property.Key), Is.EqualTo(TopLevelKeys));
            Assert.That(detail["workflow"]!.AsObject().Select(property => property.Key), Is.EqualTo(WorkflowKeys));
            Assert.That(detail["workflow"]!.ToJsonString(), Is.EqualTo(new JsonObject
            {
                ["workflowId"] = Seed.Completed,
                ["status"] = "completed",
                ["phase"] = "completed",
                ["initiator"] = Seed.Alice,
                ["startedAt"] = Seed.TimestampOf(100),
                ["completedAt"] = Seed.TimestampOf(104),
                ["failureReason"] = null,
                ["settledTotal"] = Seed.PaymentAmountText,
            }.ToJsonString()));
            Assert.That(
                detail["decisions"]!.ToJsonString(),
                Is.EqualTo($$"""[{"approved":true,"reason":"{{Seed.ApprovedReason}}","timestamp":{{Seed.TimestampOf(101)}}}]"""));
            Assert.That(
                detail["settlements"]!.ToJsonString(),
                Is.EqualTo($$"""[{"from":"{{Seed.Alice}}","to":"{{Seed.Payee}}","amount":"{{Seed.PaymentAmountText}}","timestamp":{{Seed.TimestampOf(103)}}}]"""));
            Assert.That(detail["anomalies"]!.AsArray(), Is.Empty);
        });
        Assert.That(Seed.PaymentAmount.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Seed.PaymentAmountText), "the expected text is 2^70+5");
    }

    [Test]
    public async Task Detail_CompletedWorkflow_ListsItsEventsInCanonicalOrderWithChainMetadata()
    {
        var events = (await DetailAsync(Seed.Completed))["events"]!.AsArray();

        Assert.That(events.Select(item => item!.AsObject().Select(property => property.Key)), Has.All.EqualTo(TimelineKeys));
        Assert.That(
            events.Select(Position),
            Is.EqualTo(new[]
            {
                ("WORKFLOW_STARTED", 100L, 0, 0),
                ("DECISION_RECORDED", 101L, 0, 0),
                ("PAYMENT_EXECUTED", 103L, 0, 0),
                ("WORKFLOW_COMPLETED", 104L, 0, 0),
            }));
        var payment = events[2]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)payment["txHash"], Is.EqualTo(Seed.TxHashOf(103, 0)));
            Assert.That((string?)payment["txSender"], Is.EqualTo(Seed.Alice));
            Assert.That((string?)payment["blockHash"], Is.EqualTo(Seed.BlockHashOf(103)));
            Assert.That((long?)payment["blockTimestamp"], Is.EqualTo(Seed.TimestampOf(103)));
            Assert.That((string?)payment["payload"]?["amount"], Is.EqualTo(Seed.PaymentAmountText), "the payload keeps the amount as text too");
        });
    }

    [Test]
    public async Task Detail_RejectedWorkflow_IsRejectedWithTheFailureReasonAndBothEventsOfTheTransaction()
    {
        var detail = await DetailAsync(Seed.Rejected);

        Assert.Multiple(() =>
        {
            Assert.That((string?)detail["workflow"]!["status"], Is.EqualTo("rejected"));
            Assert.That((string?)detail["workflow"]!["failureReason"], Is.EqualTo(Seed.RejectedReason));
            Assert.That((long?)detail["workflow"]!["completedAt"], Is.EqualTo(Seed.TimestampOf(101)));
            Assert.That((string?)detail["workflow"]!["settledTotal"], Is.EqualTo("0"));
            Assert.That(
                detail["decisions"]!.ToJsonString(),
                Is.EqualTo($$"""[{"approved":false,"reason":"{{Seed.RejectedReason}}","timestamp":{{Seed.TimestampOf(101)}}}]"""));
            Assert.That(detail["settlements"]!.AsArray(), Is.Empty);
            Assert.That(
                detail["events"]!.AsArray().Select(Position),
                Is.EqualTo(new[]
                {
                    ("WORKFLOW_STARTED", 100L, 1, 1),
                    ("DECISION_RECORDED", 101L, 1, 1),
                    ("WORKFLOW_FAILED", 101L, 1, 2),
                }));
            Assert.That(detail["anomalies"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Detail_WorkflowFailedAfterApproval_IsFailedWithItsReason()
    {
        var detail = await DetailAsync(Seed.Failed);

        Assert.Multiple(() =>
        {
            Assert.That((string?)detail["workflow"]!["status"], Is.EqualTo("failed"));
            Assert.That((string?)detail["workflow"]!["phase"], Is.EqualTo("failed"));
            Assert.That((string?)detail["workflow"]!["failureReason"], Is.EqualTo(Seed.FailedReason));
            Assert.That((long?)detail["workflow"]!["completedAt"], Is.EqualTo(Seed.TimestampOf(104)));
            Assert.That((bool?)detail["decisions"]![0]!["approved"], Is.True);
            Assert.That(detail["events"]!.AsArray().Select(item => (string?)item!["eventType"]),
                Is.EqualTo(new[] { "WORKFLOW_STARTED", "DECISION_RECORDED", "WORKFLOW_FAILED" }));
        });
    }

    [Test]
    public async Task Detail_RunningWorkflow_IsRunningInItsPhaseWithNullEndAndReason()
    {
        var workflow = (await DetailAsync(Seed.Running))["workflow"]!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)workflow["status"], Is.EqualTo("running"));
            Assert.That((string?)workflow["phase"], Is.EqualTo("approved"));
            Assert.That(workflow.AsObject().ContainsKey("completedAt") && workflow["completedAt"] is null, "completedAt is present and null");
            Assert.That(workflow.AsObject().ContainsKey("failureReason") && workflow["failureReason"] is null, "failureReason is present and null");
        });
    }

    [Test]
    public async Task Detail_UppercaseHexId_FindsTheSameWorkflow()
    {
        var api = await SeededApi.GetAsync();

        var lower = await api.GetAsync($"/workflows/{Seed.Completed}");
        var upper = await api.GetAsync($"/workflows/0x{Seed.Completed[2..].ToUpperInvariant()}");

        Assert.Multiple(() =>
        {
            Assert.That(upper.Status, Is.EqualTo(HttpStatusCode.OK), upper.ToString());
            Assert.That(upper.Body, Is.EqualTo(lower.Body));
        });
    }

    [Test]
    public async Task Detail_UnknownWellFormedId_Answers404ProblemDetails()
    {
        var api = await SeededApi.GetAsync();
        var unknown = "0x" + new string('0', 63) + "1";

        var response = await api.GetAsync($"/workflows/{unknown}");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((int?)response.Json["status"], Is.EqualTo(404));
            Assert.That((string?)response.Json["title"], Is.EqualTo("Workflow not found"));
            Assert.That((string?)response.Json["detail"], Does.Contain(unknown));
        });
    }

    private static async Task<JsonObject> DetailAsync(string id)
    {
        var api = await SeededApi.GetAsync();
        var response = await api.GetAsync($"/workflows/{id}");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.MediaType, Is.EqualTo("application/json"));
        return response.Json.AsObject();
    }

    private static (string?, long?, int?, int?) Position(JsonNode? item) =>
        ((string?)item!["eventType"], (long?)item["blockNumber"], (int?)item["transactionIndex"], (int?)item["logIndex"]);
}
