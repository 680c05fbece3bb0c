namespace Simulator.Chain;

/// <summary>
/// Turns automine off for its lifetime, so that several transactions land in one block, and then
/// gives the chain back the automine setting it had.
/// </summary>
internal sealed class ManualMining : IAsyncDisposable
{
    private readonly DevChain chain;
    private readonly bool automineBefore;

    private ManualMining(DevChain chain, bool automineBefore)
    {
        this.chain = chain;
        this.automineBefore = automineBefore;
    }

    public static async Task<ManualMining> BeginAsync(DevChain chain)
    {
        var automineBefore = await chain.GetAutomineAsync();
        await chain.SetAutomineAsync(false);
        return new ManualMining(chain, automineBefore);
    }

    public async ValueTask DisposeAsync() => await chain.SetAutomineAsync(automineBefore);
}
