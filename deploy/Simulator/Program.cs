using System.Globalization;
using System.Runtime.InteropServices;
using Nethereum.JsonRpc.Client;
using Simulator.Bulk;
using Simulator.Cli;
using Simulator.Simulation;

CliArguments arguments;
try
{
    arguments = CliArguments.Parse(args);
}
catch (CliUsageException error)
{
    Console.Error.WriteLine($"simulator: {error.Message}. {CliArguments.Usage}");
    return 2;
}

using var cancellation = new CancellationTokenSource();
// Ctrl-C and a plain kill both stop gracefully, so the node gets its automine setting back.
void StopGracefully(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);

var options = new SimulationOptions(
    arguments.RpcUrl, arguments.Workflows, arguments.Seed, arguments.WorkflowsPerBlock, arguments.ContractAddress);
try
{
    if (arguments.Bulk)
    {
        var bulk = new BulkOptions(
            arguments.RpcUrl, arguments.Workflows, arguments.Seed, arguments.EventsPerBlock, arguments.EmptyBlocks, arguments.ContractAddress);
        var bulkResult = await BulkSimulator.RunAsync(
            bulk, new Progress<string>(line => Console.Error.WriteLine(line)), cancellation.Token);
        Console.WriteLine(Summary.Of(bulkResult).ToJson());
        return 0;
    }

    if (!arguments.Continuous)
    {
        var result = await WorkflowSimulator.RunAsync(options, cancellation.Token);
        Console.WriteLine(Summary.Of(result).ToJson());
        return 0;
    }

    var deployment = options.ContractAddress is null
        ? await WorkflowSimulator.DeployAsync(options.RpcUrl, cancellation.Token)
        : await WorkflowSimulator.AttachAsync(options.RpcUrl, options.ContractAddress, cancellation.Token);
    Console.WriteLine(Summary.Of(deployment).ToJson());
    Console.Out.Flush();

    var progress = new Progress<SimulationProgress>(step => Console.Error.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"block {step.BlockNumber}: {step.Transactions} txs; started {step.Started}, running {step.Running}, completed {step.Completed}, failed {step.Failed}, rejected {step.Rejected}")));
    await WorkflowSimulator.RunContinuouslyAsync(
        options with { ContractAddress = deployment.ContractAddress }, arguments.Interval, progress, cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return 0;
}
catch (Exception error) when (error is RpcClientUnknownException or RpcResponseException or HttpRequestException
    or InvalidOperationException or ArgumentException)
{
    var cause = error.InnerException is null ? "" : $" ({error.InnerException.Message})";
    Console.Error.WriteLine($"simulator: {error.Message}{cause}");
    return 1;
}
