using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>The two shapes of a list answer Partner Center has.</summary>
internal enum EnvelopeShape
{
    /// <summary>
    /// The classic collection: <c>{"totalCount": n, "items": [...], "continuationToken": "...", "links": {"next":
    /// {"uri": "...", "headers": [{"key": "MS-ContinuationToken", "value": "..."}]}}}</c>.
    /// </summary>
    Classic,

    /// <summary>The commercial analytics' page: <c>{"Value": [...], "@nextLink": "...", "TotalCount": n}</c>, in any casing.</summary>
    Commercial,
}

/// <summary>One page of a list answer, read once: its items, the total the service reports, and where the next page is.</summary>
internal sealed class Page<T>(IReadOnlyList<T> items, long? totalCount, string? nextLink, string? continuationToken)
{
    public IReadOnlyList<T> Items { get; } = items;

    /// <summary>The rows of the whole listing (commercial) or of this page (classic), as the service says.</summary>
    public long? TotalCount { get; } = totalCount;

    /// <summary>The next page's link as sent (relative or absolute), or null on the last page.</summary>
    public string? NextLink { get; } = nextLink;

    /// <summary>The MS-ContinuationToken header to send with <see cref="NextLink"/>, when the service gave one.</summary>
    public string? ContinuationToken { get; } = continuationToken;

    /// <summary>Values that could not be read as what their field holds, read as unknown (a few examples).</summary>
    public IReadOnlyList<UnreadableValue> Unreadable { get; init; } = Array.Empty<UnreadableValue>();

    /// <summary>
    /// Each item's print of its bytes (<see cref="ItemPrints"/>), in the order of <see cref="Items"/>; null when the page
    /// was not read from a body.
    /// </summary>
    public IReadOnlyList<ulong>? Prints { get; init; }
}

/// <summary>
/// Both envelopes' JSON names in one type: names match case-insensitively (the documentation writes both
/// <c>Value</c> and <c>value</c>, <c>TotalCount</c> and <c>totalCount</c>), and each link spelling has its property.
/// </summary>
internal sealed class EnvelopeJson<T>
{
    [JsonPropertyName("totalCount")]
    [JsonConverter(typeof(StrictCountConverter))]
    public long? TotalCount { get; set; }

    [JsonPropertyName("items")]
    [JsonConverter(typeof(ItemListConverterFactory.Classic))]
    public List<T?>? Items { get; set; }

    [JsonPropertyName("value")]
    [JsonConverter(typeof(ItemListConverterFactory.Commercial))]
    public List<T?>? Value { get; set; }

    [JsonPropertyName("continuationToken")]

    [JsonConverter(typeof(StrictStringConverter))]
    public string? ContinuationToken { get; set; }

    [JsonPropertyName("links")]
    public LinksJson? Links { get; set; }

    [JsonPropertyName("@nextLink")]

    [JsonConverter(typeof(StrictStringConverter))]
    public string? AtNextLink { get; set; }

    [JsonPropertyName("nextLink")]

    [JsonConverter(typeof(StrictStringConverter))]
    public string? NextLink { get; set; }

    [JsonPropertyName("@odata.nextLink")]

    [JsonConverter(typeof(StrictStringConverter))]
    public string? ODataNextLink { get; set; }

    /// <summary>The items of the envelope <paramref name="shape"/> documents, or null when the body has none.</summary>
    public List<T?>? ItemsOf(EnvelopeShape shape) => shape == EnvelopeShape.Classic ? Items : Value;

    /// <summary>The next page: links.next with its continuation header (classic), or @nextLink (commercial).</summary>
    public (string? Link, string? ContinuationToken) NextOf(EnvelopeShape shape)
    {
        if (shape == EnvelopeShape.Commercial)
        {
            return (AtNextLink ?? NextLink ?? ODataNextLink, null);
        }

        var next = Links?.Next;
        if (string.IsNullOrEmpty(next?.Uri))
        {
            return (null, null);
        }

        var header = next!.Headers?.FirstOrDefault(h => string.Equals(h?.Key, Http.PartnerCenterHeaders.ContinuationToken, System.StringComparison.OrdinalIgnoreCase));
        return (next.Uri, header?.Value ?? ContinuationToken);
    }

    internal sealed class LinksJson
    {
        [JsonPropertyName("next")]
        public LinkJson? Next { get; set; }
    }

    internal sealed class LinkJson
    {
        [JsonPropertyName("uri")]
        [JsonConverter(typeof(StrictStringConverter))]
        public string? Uri { get; set; }

        [JsonPropertyName("headers")]
        public List<HeaderJson?>? Headers { get; set; }
    }

    internal sealed class HeaderJson
    {
        [JsonPropertyName("key")]
        [JsonConverter(typeof(StrictStringConverter))]
        public string? Key { get; set; }

        [JsonPropertyName("value")]

        [JsonConverter(typeof(StrictStringConverter))]
        public string? Value { get; set; }
    }
}
