using System.Globalization;
using System.Runtime.InteropServices;

namespace Benchmark.Processes;

/// <summary>CPU seconds (utime + stime) and peak RSS (VmHWM) of a live process, from /proc.</summary>
public sealed record ProcessStats(double CpuSeconds, long PeakRssBytes)
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux
    private static readonly Lazy<double> TicksPerSecond = new(() => sysconf(ClockTicksName));

    /// <returns>Null once the process is gone (its /proc entry with it).</returns>
    public static ProcessStats? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var hwm = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("VmHWM:", StringComparison.Ordinal));
            var kilobytes = long.Parse(hwm["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return new ProcessStats(ticks / TicksPerSecond.Value, kilobytes * 1024);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    [DllImport("libc")]
    private static extern long sysconf(int name);
}
