using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine;

/// <summary>The API base URL of each environment, and the rules a custom endpoint must follow.</summary>
public static class PartnerCenterEndpoints
{
    private static readonly Dictionary<PartnerCenterEnvironment, Uri> ApiEndpoints = new()
    {
        [PartnerCenterEnvironment.Global] = new Uri("https://api.partnercenter.microsoft.com/"),
        [PartnerCenterEnvironment.China] = new Uri("https://partner.partnercenterapi.microsoftonline.cn/"),
    };

    /// <summary>The API base URL of <paramref name="environment"/>, ending with a slash.</summary>
    public static Uri GetApiEndpoint(PartnerCenterEnvironment environment) =>
        ApiEndpoints.TryGetValue(environment, out var uri)
            ? uri
            : throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown Partner Center environment.");

    /// <summary>
    /// Checks a user-supplied API base URL and returns it with a trailing slash, so relative routes append to its path.
    /// https is required; plain http is accepted only for loopback hosts (a local simulator or proxy),
    /// because the bearer token would otherwise cross the network in clear text.
    /// </summary>
    /// <exception cref="PartnerCenterEndpointException">The URL is relative, not http(s), carries a query, or is http to a remote host.</exception>
    public static Uri NormalizeCustomEndpoint(Uri endpoint)
    {
        if (endpoint is null)
        {
            throw new ArgumentNullException(nameof(endpoint));
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new PartnerCenterEndpointException(
                $"The endpoint '{endpoint}' is not an absolute URL. Give one such as https://api.partnercenter.microsoft.com.");
        }

        var isHttps = string.Equals(endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        var isHttp = string.Equals(endpoint.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase);
        if (!isHttps && !isHttp)
        {
            throw new PartnerCenterEndpointException(
                $"The endpoint '{endpoint}' uses the scheme '{endpoint.Scheme}'. Only https (and http to a loopback host) is supported.");
        }

        if (isHttp && !endpoint.IsLoopback)
        {
            throw new PartnerCenterEndpointException(
                $"The endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' uses plain http to a host that is not loopback. " +
                "The access token would travel unencrypted: use https, or http only to localhost/127.0.0.1/[::1].");
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw new PartnerCenterEndpointException(
                $"The endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' must not carry user information, a query or a fragment.");
        }

        var text = endpoint.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/", UriKind.Absolute);
    }
}
