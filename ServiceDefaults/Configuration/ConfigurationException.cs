namespace ServiceDefaults.Configuration;

/// <summary>A setting that stops the process at start; the message names the variable and never its value.</summary>
public class ConfigurationException(string problem) : Exception(problem);
