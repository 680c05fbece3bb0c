using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.BrowserTests.Support;
using Simulator.Simulation;

namespace Query.Api.BrowserTests.Workflows;

[TestFixture]
public sealed class WorkflowPageTests : DashboardTest
{
    private static readonly Dictionary<string, string> StepOfEvent = new()
    {
        ["WORKFLOW_STARTED"] = "intent",
        ["DECISION_RECORDED"] = "decision",
        ["PAYMENT_EXECUTED"] = "settlement",
        ["WORKFLOW_COMPLETED"] = "completion",
        ["WORKFLOW_FAILED"] = "failure",
    };

    [Test]
    public async Task ClickingAWorkflowInTheList_ShowsItsJourneyWithExplorerLinks()
    {
        await OpenListAsync();
        var first = Page.Locator("table.workflows tbody tr").First;
        var id = await first.GetAttributeAsync("data-workflow-id");
        await first.GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($"#/workflows/{id}$"));
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(id!);
        var sent = Run.Workflows.Single(workflow => workflow.WorkflowId == id);
        await ExpectJourneyAsync(sent);
        await ScreenshotAsync("workflow");
    }

    [Test]
    public async Task AWorkflowWithASettlement_ShowsEveryStepOfItsJourney()
    {
        var settled = Run.Workflows.First(workflow => workflow.ExpectedStatus == "completed"
            && workflow.Events.Any(sent => sent.EventType == "PAYMENT_EXECUTED"));

        await Page.GotoAsync($"/#/workflows/{settled.WorkflowId}");

        await ExpectJourneyAsync(settled);
        var payment = settled.Events.Single(sent => sent.EventType == "PAYMENT_EXECUTED");
        var step = Page.Locator("li[data-step=settlement]");
        await Expect(step.Locator("p").GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = payment.To!, Exact = true }))
            .ToHaveAttributeAsync("href", $"{DashboardRun.ExplorerUrl}/address/{payment.To}");
        await Expect(step.Locator("[data-fact=sender] a")).ToHaveAttributeAsync("href", $"{DashboardRun.ExplorerUrl}/address/{payment.From}");
        await Expect(step).ToContainTextAsync($"({payment.Amount!.Value.ToString(CultureInfo.InvariantCulture)} wei)");
        await Expect(Page.Locator("[data-status]").First).ToHaveTextAsync("completed");
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Region, new() { Name = "Anomalies" })).ToContainTextAsync("None");
        await ScreenshotAsync("settled workflow");
    }

    [Test]
    public async Task AWorkflowNeverObserved_SaysSo()
    {
        var unknown = "0x" + new string('a', 64);

        await Page.GotoAsync($"/#/workflows/{unknown}");

        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Alert)).ToHaveTextAsync($"No workflow {unknown} has been observed (yet).");
        await ScreenshotAsync("not observed");
    }

    [Test]
    public async Task AWorkflowWithAnAnomaly_FlagsItsStepAndExplainsIt()
    {
        // The simulator only sends well-formed journeys: the real answer is shown with an anomaly as the
        // worker records one (an event the workflow's phase does not allow) on its last event.
        var sent = Run.Workflows.First(workflow => workflow.ExpectedStatus == "completed");
        var last = sent.Events[^1];
        await Page.RouteAsync($"**/workflows/{sent.WorkflowId}", async route =>
        {
            var response = await route.FetchAsync();
            var detail = JsonNode.Parse(await response.TextAsync())!;
            detail["anomalies"] = new JsonArray(new JsonObject
            {
                ["kind"] = "illegal_transition",
                ["event"] = last.EventType,
                ["blockNumber"] = last.BlockNumber,
                ["transactionIndex"] = last.TransactionIndex,
                ["logIndex"] = last.LogIndex,
                ["phaseBefore"] = "approved",
            });
            await route.FulfillAsync(new() { Response = response, Body = detail.ToJsonString() });
        });

        await Page.GotoAsync($"/#/workflows/{sent.WorkflowId}");

        await Expect(Page.Locator("li[data-step=completion]")).ToContainTextAsync("anomaly");
        await Expect(Page.Locator("li[data-step].step-anomaly")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-anomaly=illegal_transition]")).ToHaveTextAsync(
            $"An event that the workflow’s phase does not allow (illegal_transition): WORKFLOW_COMPLETED at block {last.BlockNumber}, "
            + $"tx {last.TransactionIndex}, log {last.LogIndex}, phase before: approved.");
        await ScreenshotAsync("anomaly");
    }

    /// <summary>One step per event sent, in order, each with its block, UTC time, transaction and sender, linked to the explorer.</summary>
    private async Task ExpectJourneyAsync(SimulatedWorkflow sent)
    {
        var steps = Page.Locator("ol.journey > li:not([data-step=pending])");
        await Expect(steps).ToHaveCountAsync(sent.Events.Count);
        for (var index = 0; index < sent.Events.Count; index++)
        {
            var sentEvent = sent.Events[index];
            var step = steps.Nth(index);
            var block = sentEvent.BlockNumber.ToString(CultureInfo.InvariantCulture);
            var time = DateTimeOffset.FromUnixTimeSeconds(sentEvent.BlockTimestamp).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await Expect(step).ToHaveAttributeAsync("data-step", StepOfEvent[sentEvent.EventType]);
            await Expect(step.Locator("[data-fact=block] a")).ToHaveAttributeAsync("href", $"{DashboardRun.ExplorerUrl}/block/{block}");
            await Expect(step.Locator("[data-fact=block] a")).ToHaveTextAsync(block);
            await Expect(step.Locator("[data-fact=transaction] a")).ToHaveAttributeAsync("href", $"{DashboardRun.ExplorerUrl}/tx/{sentEvent.TxHash}");
            await Expect(step.Locator("[data-fact=transaction] a")).ToHaveTextAsync(sentEvent.TxHash);
            await Expect(step.Locator("[data-fact=time] time")).ToHaveTextAsync($"{time} UTC");
        }
    }
}
