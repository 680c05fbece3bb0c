using System.Globalization;
using System.Text.RegularExpressions;

namespace Query.Api.Workflows;

/// <summary>
/// How query-string values are read: strictly (digits only: no sign, spaces or exponent), so that a value
/// either means exactly one thing or is a 400. A repeated single-valued parameter arrives joined with a
/// comma ("1,2") and so is never valid.
/// </summary>
public static partial class QueryValues
{
    /// <summary>9999-12-31T23:59:59Z: the last second a <see cref="DateTimeOffset"/> holds.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    public static bool IsWholeNumberBetween(string? text, long min, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max;

    /// <summary>Reads a value <see cref="IsWholeNumberBetween"/> accepted.</summary>
    public static long WholeNumber(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    public static bool IsUnixSeconds(string? text) => IsWholeNumberBetween(text, 0, MaxUnixSeconds);

    /// <summary>0x and 40 hex digits, in any letter case (the worker stores addresses lowercase).</summary>
    public static bool IsAddress(string? text) => text is not null && Address().IsMatch(text);

    /// <summary>0x and 64 hex digits, in any letter case (the worker stores workflow ids lowercase).</summary>
    public static bool IsWorkflowId(string? text) => text is not null && WorkflowId().IsMatch(text);

    // \z, not $: "$" also matches before a final newline.
    [GeneratedRegex(@"^0x[0-9a-fA-F]{40}\z")]
    private static partial Regex Address();

    [GeneratedRegex(@"^0x[0-9a-fA-F]{64}\z")]
    private static partial Regex WorkflowId();
}
