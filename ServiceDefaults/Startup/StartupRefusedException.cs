namespace ServiceDefaults.Startup;

/// <summary>A state of the world the process must not start in (say, pending migrations); its message is the one line printed.</summary>
public class StartupRefusedException(string message) : Exception(message);
