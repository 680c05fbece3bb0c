namespace TestSupport;

/// <summary>The node answered a JSON-RPC call with an error object.</summary>
public sealed class JsonRpcException(string method, int code, string message)
    : Exception($"{method} failed with JSON-RPC error {code}: {message}")
{
    public int Code { get; } = code;
}
