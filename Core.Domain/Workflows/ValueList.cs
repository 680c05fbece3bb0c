using System.Collections;
using System.Collections.Immutable;

namespace Core.Domain.Workflows;

/// <summary>
/// An immutable list that compares by its items, so that records holding one compare by value:
/// two states folded from the same events are equal, whatever instances they were built from.
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    public static readonly ValueList<T> Empty = new(ImmutableArray<T>.Empty);

    private readonly ImmutableArray<T> items;

    private ValueList(ImmutableArray<T> items) => this.items = items;

    public static ValueList<T> From(IEnumerable<T> items) => new(items.ToImmutableArray());

    public int Count => items.Length;

    public T this[int index] => items[index];

    public ValueList<T> Add(T item) => new(items.Add(item));

    public bool Equals(ValueList<T>? other) =>
        other is not null && items.AsSpan().SequenceEqual(other.items.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
