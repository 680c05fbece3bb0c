using Query.Api.Configuration;

namespace Query.Api.Streaming;

/// <summary>The stream settings, in the units the code uses (see <see cref="ApiOptions"/> for their meaning).</summary>
public sealed record StreamSettings(int MaxClients, int ResumeWindowBlocks, TimeSpan PollInterval, TimeSpan KeepAliveInterval, int QueueBatches)
{
    public static StreamSettings From(ApiOptions options) => new(
        options.StreamMaxClients,
        options.StreamResumeWindowBlocks,
        TimeSpan.FromMilliseconds(options.StreamPollIntervalMilliseconds),
        TimeSpan.FromMilliseconds(options.StreamKeepAliveMilliseconds),
        options.StreamQueueBatches);
}
