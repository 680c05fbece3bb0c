using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace TestSupport;

/// <summary>A private anvil node on 127.0.0.1 (chain id 31337), killed on dispose.</summary>
public sealed class AnvilNode : IAsyncDisposable
{
    public const long ChainId = 31337;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private int _nextRequestId;

    private AnvilNode(ChildProcess process, string rpcUrl)
    {
        _process = process;
        RpcUrl = rpcUrl;
        _http = new HttpClient { BaseAddress = new Uri(rpcUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string RpcUrl { get; }

    /// <summary>Anvil's output so far, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts anvil and waits until it answers eth_chainId. <paramref name="extraArgs"/> e.g. "--block-time", "1".</summary>
    public static Task<AnvilNode> StartAsync(params string[] extraArgs) => StartAsync(StartTimeout, extraArgs);

    /// <param name="startTimeout">How long anvil may take to answer: loading a saved state (--load-state) of a large chain takes longer than a plain start.</param>
    /// <param name="extraArgs">As for <see cref="StartAsync(string[])"/>.</param>
    public static async Task<AnvilNode> StartAsync(TimeSpan startTimeout, params string[] extraArgs)
    {
        var binary = RepoLayout.AnvilPath;
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException(
                $"anvil not found at {binary}: run deploy/setup.sh, or set ANVIL_PATH to an anvil binary.", binary);
        }

        EnsureExecutable(binary);
        var port = FreePort.Next();
        string[] arguments = ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--chain-id", ChainId.ToString(CultureInfo.InvariantCulture), "--silent", .. extraArgs];
        var node = new AnvilNode(ChildProcess.Start(binary, arguments), $"http://127.0.0.1:{port}/");
        try
        {
            await node.WaitUntilAnsweringAsync(startTimeout);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one JSON-RPC request and returns its result converted to <typeparamref name="T"/>.</summary>
    public async Task<T> CallAsync<T>(string method, params object?[] parameters)
    {
        var request = new
        {
            jsonrpc = "2.0",
            id = Interlocked.Increment(ref _nextRequestId),
            method,
            @params = parameters,
        };
        using var response = await _http.PostAsJsonAsync("", request);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        if (body.RootElement.TryGetProperty("error", out var error))
        {
            throw new JsonRpcException(method, error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString() ?? "");
        }

        return body.RootElement.GetProperty("result").Deserialize<T>()
            ?? throw new InvalidDataException($"{method} returned a null result.");
    }

    public async Task<long> BlockNumberAsync() => ParseQuantity(await CallAsync<string>("eth_blockNumber"));

    /// <summary>Mines <paramref name="blocks"/> blocks at once (anvil_mine).</summary>
    public Task MineAsync(int blocks = 1) => CallAsync<JsonElement>("anvil_mine", ToQuantity(blocks));

    /// <summary>Turns mining on every transaction on or off (evm_setAutomine).</summary>
    public Task SetAutomineAsync(bool enabled) => CallAsync<JsonElement>("evm_setAutomine", enabled);

    /// <summary>Saves the chain state; returns an id for <see cref="RevertAsync"/> (usable once).</summary>
    public Task<string> SnapshotAsync() => CallAsync<string>("evm_snapshot");

    public async Task RevertAsync(string snapshotId)
    {
        if (!await CallAsync<bool>("evm_revert", snapshotId))
        {
            throw new InvalidOperationException($"anvil refused to revert to snapshot {snapshotId} (ids are usable once).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan startTimeout)
    {
        // A node that exited (bad arguments, port taken) will never answer: stop polling and show why.
        await Eventually.TrueAsync(
            async () => _process.HasExited || ParseQuantity(await CallAsync<string>("eth_chainId")) == ChainId,
            startTimeout,
            $"anvil answers eth_chainId at {RpcUrl}");
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"anvil exited during start-up. Output:\n{_process.Output}");
        }
    }

    // npm 11 skips install scripts, so the binary may arrive without its run bit.
    private static void EnsureExecutable(string binary)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no run bit there
        }

        var mode = File.GetUnixFileMode(binary);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(binary, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private static string ToQuantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static long ParseQuantity(string hex) =>
        long.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
