using Core.Domain.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Indexer.Worker.Verification;

/// <summary>
/// <c>Indexer.Worker verify</c>: rebuilds the projection in memory, compares it with the stored one,
/// prints a summary, and exits 0 when they agree, 1 (with the first differences) when not.
/// </summary>
public static class VerifyCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var result = await services.GetRequiredService<ProjectionVerifier>().VerifyAsync(cancellationToken);
            VerificationReport.Write(result, output);
            return result.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is InvalidEventPayloadException or InvalidDataException)
        {
            // A log this worker could not have written cannot rebuild anything: that is a failed verification.
            await output.WriteLineAsync($"verify: FAILED: the event log cannot be read: {e.Message}");
            return 1;
        }
    }
}
