namespace Query.Api.Tests.Support;

/// <summary>A clock that moves only when told to, for the classes that decide by age.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = 1;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
