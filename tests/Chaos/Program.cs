using System.Globalization;
using Chaos;

// The chaos run: dotnet run -c Release --project tests/Chaos -- [--minutes 5] [--seed 1] [--workers 2]
const string Usage = "usage: Chaos [--minutes N] [--seed N] [--workers N]";
var options = new ChaosOptions(TimeSpan.FromMinutes(5));
for (var index = 0; index < args.Length; index += 2)
{
    if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    switch (args[index])
    {
        case "--minutes":
            options = options with { Duration = TimeSpan.FromMinutes(value) };
            break;
        case "--seed":
            options = options with { Seed = value };
            break;
        case "--workers":
            options = options with { Workers = value };
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    cancel.Cancel();
};

var report = await ChaosRun.RunAsync(options, Console.Out, cancel.Token);
Console.WriteLine();
Console.Write(report.ToTable());
return report.Held ? 0 : 1;
