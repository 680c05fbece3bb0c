using System.Globalization;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Faults;

/// <summary>The real worker indexing the reference chain into a fresh database through a fault proxy.</summary>
public sealed class ProxiedWorker : IAsyncDisposable
{
    public const int MaxBlockRange = 8;

    // Short, so that a held request costs the worker half a second per attempt, not ten.
    private const int RpcTimeoutMs = 500;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    private readonly ReferenceChain chain;
    private readonly List<long> checkpoints = [];

    private ProxiedWorker(ReferenceChain chain, FaultProxy proxy, ObservedDatabase database, ChildProcess process)
    {
        this.chain = chain;
        Proxy = proxy;
        Database = database;
        Process = process;
    }

    public FaultProxy Proxy { get; }

    public ObservedDatabase Database { get; }

    public ChildProcess Process { get; }

    /// <summary>Starts the proxy, lets <paramref name="script"/> set its faults, then starts the worker behind it.</summary>
    /// <param name="settings">Worker settings to add or override.</param>
    public static async Task<ProxiedWorker> StartAsync(
        ReferenceChain chain, Action<FaultProxy> script, IReadOnlyDictionary<string, string>? settings = null)
    {
        var proxy = FaultProxy.Start(chain.Anvil.RpcUrl);
        script(proxy);
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain.Result, database, ReferenceChain.ConfirmationBlocks, MaxBlockRange);
        environment["RPC_URL"] = proxy.Url;
        environment["RPC_TIMEOUT_MS"] = RpcTimeoutMs.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return new ProxiedWorker(chain, proxy, database, Processes.StartWorker(environment));
    }

    /// <summary>Waits until the checkpoint reaches the confirmed head, keeping every checkpoint seen on the way.</summary>
    public Task WaitForCatchUpAsync() =>
        Eventually.TrueAsync(
            async () =>
            {
                var last = await Database.LastIngestedBlockAsync();
                if (last is { } block)
                {
                    checkpoints.Add(block);
                }

                return last >= chain.Result.LastBlock;
            },
            CatchUpTimeout,
            () => $"the worker behind the fault proxy should ingest up to block {chain.Result.LastBlock}.\n{Process.Output}");

    /// <summary>The end every fault must come to: exactly the reference events and projection, reached without stepping back.</summary>
    public async Task AssertIngestedExactlyTheReferenceAsync()
    {
        var eventLog = await Database.EventLogAsync();
        var projection = await Database.ProjectionAsync();
        Assert.Multiple(() =>
        {
            Assert.That(eventLog, Is.EqualTo(chain.EventLog), $"event log\n{Process.Output}");
            Assert.That(projection, Is.EqualTo(chain.Projection), "projection");
            Assert.That(checkpoints, Is.Ordered, "the checkpoint never moves backwards");
            Assert.That(Process.HasExited, Is.False, $"the worker keeps running\n{Process.Output}");
            Assert.That(Proxy.Errors, Is.Empty, "the proxy itself failed");
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}
