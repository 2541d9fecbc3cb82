using System;
using System.Net.Http;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>What the endpoints ask the transport to send: the request, and what it is about.</summary>
internal sealed class PartnerCenterRequest(HttpMethod method, Uri uri)
{
    public HttpMethod Method { get; } = method;

    public Uri Uri { get; } = uri;

    /// <summary>True when the request needs an App+User token (every license analytics route does).</summary>
    public bool RequiresUser { get; init; } = true;

    /// <summary>The MS-ContinuationToken header of a next page, from the page before; null for none.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>The customer the request is about, when it is about one: a 404 then means that customer is unknown.</summary>
    public Guid? Customer { get; init; }

    /// <summary>A GET of <paramref name="uri"/>.</summary>
    public static PartnerCenterRequest Get(Uri uri) => new(HttpMethod.Get, uri);
}
