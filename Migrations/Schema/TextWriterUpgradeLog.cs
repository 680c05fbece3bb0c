using DbUp.Engine.Output;

namespace Migrations.Schema;

/// <summary>
/// DbUp's progress as plain lines, so the CLI prints to the console and checks stay silent.
/// Errors are left out: DbUp logs them with stack traces, and the caller reports the result's error in one line.
/// </summary>
internal sealed class TextWriterUpgradeLog(TextWriter writer) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args)
    {
    }

    public void LogDebug(string format, params object[] args)
    {
    }

    public void LogInformation(string format, params object[] args) => writer.WriteLine(format, args);

    public void LogWarning(string format, params object[] args) => writer.WriteLine("warning: " + format, args);

    public void LogError(string format, params object[] args)
    {
    }

    public void LogError(Exception ex, string format, params object[] args)
    {
    }
}
