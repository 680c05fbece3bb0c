using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Simulator.Chain;

/// <summary>A mined block: its timestamp and its receipts in transaction order.</summary>
internal sealed record MinedBlock(long Number, long Timestamp, IReadOnlyList<TransactionReceipt> Receipts);

/// <summary>
/// The JSON-RPC calls the simulator needs from a dev chain whose accounts are unlocked (anvil):
/// plain eth_sendTransaction "from" them, and manual mining.
/// </summary>
internal sealed class DevChain(string rpcUrl)
{
    private readonly Web3 web3 = new(rpcUrl);

    public async Task<long> GetChainIdAsync() => (long)(await web3.Eth.ChainId.SendRequestAsync()).Value;

    public Task<string[]> GetAccountsAsync() => web3.Eth.Accounts.SendRequestAsync();

    public async Task<long> GetHeadAsync() => (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    public Task<string> GetCodeAsync(string address) => web3.Eth.GetCode.SendRequestAsync(address);

    public Task<bool> GetAutomineAsync() => web3.Client.SendRequestAsync<bool>("anvil_getAutomine");

    public Task SetAutomineAsync(bool enabled) => web3.Client.SendRequestAsync<object>("evm_setAutomine", null, enabled);

    public Task SetBalanceAsync(string account, BigInteger wei) =>
        web3.Client.SendRequestAsync<object>("anvil_setBalance", null, account, new HexBigInteger(wei).HexValue);

    /// <summary>
    /// Queues a transaction without mining it. The gas is given because an estimate runs against the
    /// latest block and would revert for a call that depends on a transaction still pending.
    /// </summary>
    public Task<string> SendAsync(string from, string? to, string data, long gas, BigInteger value) =>
        web3.Eth.Transactions.SendTransaction.SendRequestAsync(
            new TransactionInput(data, to, from, new HexBigInteger(gas), new HexBigInteger(value)));

    /// <summary>Mines one block with whatever is pending and returns it.</summary>
    public async Task<MinedBlock> MineAsync()
    {
        await web3.Client.SendRequestAsync<string>("evm_mine");
        var number = new BlockParameter(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync());
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(number);
        var receipts = await web3.Eth.Blocks.GetBlockReceiptsByNumber.SendRequestAsync(number);
        return new MinedBlock(
            (long)block.Number.Value,
            (long)block.Timestamp.Value,
            receipts.OrderBy(receipt => receipt.TransactionIndex.Value).ToList());
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks in one call (anvil_mine).</summary>
    public Task MineEmptyAsync(int blocks) =>
        web3.Client.SendRequestAsync<object>("anvil_mine", null, new HexBigInteger(blocks).HexValue);
}
