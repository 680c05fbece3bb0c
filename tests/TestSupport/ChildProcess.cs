using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TestSupport;

/// <summary>
/// A process started by a test, with its stdout and stderr lines captured (interleaved, in arrival order).
/// The environment is explicit: only a few variables needed to run programs at all are passed on,
/// so that e.g. a DATABASE_URL of the test runner never leaks into the process under test.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly string[] BaseVariables = ["PATH", "HOME", "TMPDIR", "DOTNET_ROOT"];
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Task _exited;
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _lineAdded = NewSignal();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => AddLine(e.Data);
        _process.ErrorDataReceived += (_, e) => AddLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Completes once the process has exited AND both streams are drained, so no line is lost.
        _exited = _process.WaitForExitAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _exited.IsCompleted;

    /// <summary>All lines captured so far, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts any executable. <paramref name="inheritEnvironment"/> passes the whole test runner environment on.</summary>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        bool inheritEnvironment = false,
        string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            startInfo.Environment.Clear();
            foreach (var name in BaseVariables)
            {
                var value = Environment.GetEnvironmentVariable(name);
                if (value is not null)
                {
                    startInfo.Environment[name] = value;
                }
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return new ChildProcess(new Process { StartInfo = startInfo });
    }

    /// <summary>Starts <c>dotnet &lt;dll&gt; [args]</c>, e.g. with RepoLayout.BuiltDll("Indexer.Worker").</summary>
    public static ChildProcess StartDotnet(
        string dllPath,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        bool inheritEnvironment = false)
    {
        return Start(DotnetHost(), [dllPath, .. arguments], environment, inheritEnvironment);
    }

    /// <summary>The variable deploy/test.sh sets to the natively compiled worker it publishes.</summary>
    public const string WorkerExecutableVariable = "X402_WORKER_EXECUTABLE";

    /// <summary>
    /// Starts Indexer.Worker as it is installed: the native executable named by <see cref="WorkerExecutableVariable"/>,
    /// so that the tests cover what ahead-of-time compilation and trimming kept of it; without the variable (tests
    /// run from an IDE), the built dll through dotnet.
    /// </summary>
    public static ChildProcess StartIndexerWorker(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = Environment.GetEnvironmentVariable(WorkerExecutableVariable);
        if (string.IsNullOrEmpty(executable))
        {
            return StartDotnet(RepoLayout.BuiltDll("Indexer.Worker"), arguments, environment);
        }

        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"{WorkerExecutableVariable} names {executable}, which does not exist: publish it (bash deploy/test.sh does).", executable);
        }

        return Start(executable, arguments, environment);
    }

    /// <summary>Waits for a captured line matching <paramref name="predicate"/> (already seen lines count) and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var checkedCount = 0;
        while (true)
        {
            Task lineAdded;
            lock (_gate)
            {
                for (; checkedCount < _lines.Count; checkedCount++)
                {
                    if (predicate(_lines[checkedCount]))
                    {
                        return _lines[checkedCount];
                    }
                }

                lineAdded = _lineAdded.Task;
            }

            if (_exited.IsCompleted && !lineAdded.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"Process {_process.StartInfo.FileName} exited with code {_process.ExitCode} before printing the expected line. Output:\n{Output}");
            }

            try
            {
                await Task.WhenAny(lineAdded, _exited).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No expected line from {_process.StartInfo.FileName} within {timeout.TotalSeconds:0.#} s. Output:\n{Output}");
            }
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{_process.StartInfo.FileName} did not exit within {timeout.TotalSeconds:0.#} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd, Kubernetes or docker stop send it: the process may stop gracefully.</summary>
    public void Terminate()
    {
        if (!HasExited && Posix.kill(_process.Id, Posix.SIGTERM) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) of {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL to the process and all its descendants: a crash, not a graceful stop.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited: nothing left to kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            Kill();
        }

        await _exited.WaitAsync(DisposeTimeout);
        _process.Dispose();
    }

    // The SDK exports DOTNET_HOST_PATH to the processes it starts (dotnet test included); PATH is the fallback.
    private static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return string.IsNullOrEmpty(hostPath) ? "dotnet" : hostPath;
    }

    private void AddLine(string? line)
    {
        if (line is null)
        {
            return; // end of stream
        }

        TaskCompletionSource lineAdded;
        lock (_gate)
        {
            _lines.Add(line);
            lineAdded = _lineAdded;
            _lineAdded = NewSignal();
        }

        lineAdded.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal static class Posix
{
    public const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);
}
