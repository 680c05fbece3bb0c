using System.Globalization;

namespace Simulator.Cli;

/// <summary>The command line, parsed. Anything wrong with it is a <see cref="CliUsageException"/>.</summary>
internal sealed record CliArguments(
    string RpcUrl,
    int Workflows,
    int Seed,
    int WorkflowsPerBlock,
    string? ContractAddress,
    bool Continuous,
    TimeSpan Interval,
    bool Bulk = false,
    int EventsPerBlock = 1460,
    int EmptyBlocks = 0)
{
    public const string Usage =
        "usage: Simulator [--rpc-url URL] [--workflows N] [--seed N] [--contract 0xADDRESS] " +
        "([--per-block N] [--continuous [--interval-ms N]] | --bulk [--events-per-block N] [--empty-blocks N])";

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments("http://127.0.0.1:8545", 300, 42, 5, null, false, TimeSpan.FromSeconds(1));
        for (var index = 0; index < args.Count; index++)
        {
            var name = args[index];
            string Value() => index + 1 < args.Count ? args[++index] : throw new CliUsageException($"{name} needs a value");

            parsed = name switch
            {
                "--rpc-url" => parsed with { RpcUrl = Url(name, Value()) },
                "--workflows" => parsed with { Workflows = Integer(name, Value(), minimum: 0) },
                "--seed" => parsed with { Seed = Integer(name, Value(), minimum: int.MinValue) },
                "--per-block" => parsed with { WorkflowsPerBlock = Integer(name, Value(), minimum: 1) },
                "--contract" => parsed with { ContractAddress = Address(name, Value()) },
                "--continuous" => parsed with { Continuous = true },
                "--interval-ms" => parsed with { Interval = TimeSpan.FromMilliseconds(Integer(name, Value(), minimum: 1)) },
                "--bulk" => parsed with { Bulk = true },
                "--events-per-block" => parsed with { EventsPerBlock = Integer(name, Value(), minimum: 1) },
                "--empty-blocks" => parsed with { EmptyBlocks = Integer(name, Value(), minimum: 0) },
                _ => throw new CliUsageException($"unknown argument '{name}'"),
            };
        }

        return parsed.Bulk && parsed.Continuous ? throw new CliUsageException("--bulk and --continuous exclude each other") : parsed;
    }

    private static int Integer(string name, string text, int minimum) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new CliUsageException($"{name} must be an integer of at least {minimum}, not '{text}'");

    private static string Url(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? text
            : throw new CliUsageException($"{name} must be an http(s) URL, not '{text}'");

    private static string Address(string name, string text) =>
        text.Length == 42 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text[2..].All(char.IsAsciiHexDigit)
            ? text
            : throw new CliUsageException($"{name} must be a 0x-prefixed 20-byte hex address, not '{text}'");
}

internal sealed class CliUsageException(string message) : Exception(message);
