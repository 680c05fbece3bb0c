using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;
using Query.Api.Configuration;
using Query.Api.Streaming;

namespace Query.Api.Tests.Streaming;

public sealed class CatchUpGateTests
{
    [Test]
    public async Task RunAsync_TheRequestGoesAwayDuringTheRead_TheReadRunsToItsEnd()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var gate = new CatchUpGate(Options.Create(new ApiOptions { DbPoolSize = 4 }), lifetime);
        using var request = new CancellationTokenSource();
        var reading = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = gate.RunAsync(
            async token =>
            {
                reading.SetResult(token);
                await finish.Task;
                return token.IsCancellationRequested;
            },
            request.Token);
        var readToken = await reading.Task;
        await request.CancelAsync();
        finish.SetResult();

        var cancelledDuringTheRead = await run;
        Assert.Multiple(() =>
        {
            Assert.That(cancelledDuringTheRead, Is.False, "the read's token was not cancelled with the request");
            Assert.That(readToken.CanBeCanceled, Is.True, "the read still stops with the server");
        });
    }

    [Test]
    public async Task RunAsync_EverySlotTaken_TheRequestGoingAwayStopsItsWait()
    {
        var gate = new CatchUpGate(Options.Create(new ApiOptions { DbPoolSize = 4 }), new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));
        var hold = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(_ => hold.Task, CancellationToken.None);
        using var request = new CancellationTokenSource();

        var waiting = gate.RunAsync(_ => Task.FromResult(2), request.Token);
        await request.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await waiting);
        hold.SetResult(1);
        Assert.That(await holding, Is.EqualTo(1));
    }
}
