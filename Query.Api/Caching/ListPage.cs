namespace Query.Api.Caching;

/// <summary>One page of a list, and the relative URL of the page after it (null on the last page), sent as <c>Link: &lt;…&gt;; rel="next"</c>.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? Next);
