using System.Text.RegularExpressions;

namespace ServiceDefaults.Configuration;

/// <summary>Rewrites the configuration binder's conversion error as one line that names the variable, not the value.</summary>
public static partial class ConfigurationErrors
{
    public static string Describe(InvalidOperationException bindingError)
    {
        var match = KeyAndType().Match(bindingError.Message);
        return match.Success
            ? $"{match.Groups["key"].Value} must be {TypeWord(match.Groups["type"].Value)}"
            : bindingError.Message;
    }

    private static string TypeWord(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Boolean" => "true or false",
        _ => $"a valid {type}",
    };

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex KeyAndType();
}
