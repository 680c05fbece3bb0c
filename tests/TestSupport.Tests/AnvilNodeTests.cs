using NUnit.Framework;

namespace TestSupport.Tests;

public sealed class AnvilNodeTests
{
    [Test]
    public async Task Anvil_starts_mines_blocks_and_reverts_to_a_snapshot()
    {
        await using var node = await AnvilNode.StartAsync();
        Assert.That(node.RpcUrl, Does.StartWith("http://127.0.0.1:"));
        var start = await node.BlockNumberAsync();
        var snapshot = await node.SnapshotAsync();

        await node.MineAsync(5);
        Assert.That(await node.BlockNumberAsync(), Is.EqualTo(start + 5));

        await node.RevertAsync(snapshot);
        Assert.That(await node.BlockNumberAsync(), Is.EqualTo(start));
    }

    [Test]
    public async Task Automine_can_be_switched_off_and_unknown_methods_raise_json_rpc_errors()
    {
        await using var node = await AnvilNode.StartAsync("--block-time", "3600");

        await node.SetAutomineAsync(false);

        Assert.That(await node.CallAsync<bool>("anvil_getAutomine"), Is.False);
        Assert.ThrowsAsync<JsonRpcException>(() => node.CallAsync<string>("no_such_method"));
    }
}
