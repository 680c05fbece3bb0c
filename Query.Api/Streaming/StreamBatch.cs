namespace Query.Api.Streaming;

/// <summary>What the feed hands every stream at once: frames in log order, or one repaired reorg.</summary>
/// <param name="Reorg">Set for a reorg repair: its frames go only to streams that had gone past its ancestor.</param>
public sealed record StreamBatch(IReadOnlyList<StreamFrame> Frames, RepairedReorg? Reorg = null)
{
    public static readonly StreamBatch KeepAlive = new([StreamFrame.KeepAlive]);

    public static StreamBatch Of(RepairedReorg reorg) => new(reorg.Frames, reorg);
}
