using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// The one place that knows each environment's API base URL, sign-in authority and token scope, and the rules
/// a custom endpoint must follow.
/// </summary>
public static class PartnerCenterEndpoints
{
    /// <summary>The public client used for interactive and device code sign-in unless another is given (the one the archived Partner Center module used).</summary>
    public const string DefaultPublicClientId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    /// <summary>The tenant used for user sign-in unless another is given: any work or school account.</summary>
    public const string DefaultTenant = "organizations";

    private static readonly Dictionary<PartnerCenterEnvironment, (Uri Api, Uri Authority)> Clouds = new()
    {
        [PartnerCenterEnvironment.Global] = (new Uri("https://api.partnercenter.microsoft.com/"), new Uri("https://login.microsoftonline.com/")),
        [PartnerCenterEnvironment.China] = (new Uri("https://partner.partnercenterapi.microsoftonline.cn/"), new Uri("https://login.chinacloudapi.cn/")),
        [PartnerCenterEnvironment.USGovernment] = (new Uri("https://api.partnercenter.microsoft.com/"), new Uri("https://login.microsoftonline.us/")),
    };

    /// <summary>The API base URL of <paramref name="environment"/>, ending with a slash.</summary>
    public static Uri GetApiEndpoint(PartnerCenterEnvironment environment) => Cloud(environment).Api;

    /// <summary>The sign-in authority host of <paramref name="environment"/>, ending with a slash.</summary>
    public static Uri GetAuthorityHost(PartnerCenterEnvironment environment) => Cloud(environment).Authority;

    /// <summary>The delegated scope a token for <paramref name="environment"/>'s API is requested with.</summary>
    public static string GetUserScope(PartnerCenterEnvironment environment) =>
        Cloud(environment).Api.GetLeftPart(UriPartial.Authority) + "/user_impersonation";

    /// <summary>
    /// Checks a user-supplied API base URL and returns it with a trailing slash, so relative routes append to its path.
    /// https is required; plain http is accepted only for loopback hosts (a local simulator or proxy),
    /// because the bearer token would otherwise cross the network in clear text.
    /// </summary>
    /// <exception cref="PartnerCenterEndpointException">The URL is relative, not http(s), carries a query, or is http to a remote host.</exception>
    public static Uri NormalizeCustomEndpoint(Uri endpoint) => Normalize(endpoint, "endpoint", allowLoopbackHttp: true);

    /// <summary>
    /// Checks a user-supplied sign-in authority host (https only: MSAL refuses anything else) and returns it with a
    /// trailing slash; the tenant is appended to it.
    /// </summary>
    /// <exception cref="PartnerCenterEndpointException">The URL is not an absolute https URL without query.</exception>
    public static Uri NormalizeCustomAuthority(Uri authority) => Normalize(authority, "authority", allowLoopbackHttp: false);

    private static (Uri Api, Uri Authority) Cloud(PartnerCenterEnvironment environment) =>
        Clouds.TryGetValue(environment, out var cloud)
            ? cloud
            : throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown Partner Center environment.");

    private static Uri Normalize(Uri url, string what, bool allowLoopbackHttp)
    {
        if (url is null)
        {
            throw new ArgumentNullException(nameof(url));
        }

        if (!url.IsAbsoluteUri)
        {
            throw new PartnerCenterEndpointException($"The {what} '{url}' is not an absolute URL.");
        }

        // Checked first, so no message below repeats a password given in the URL.
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new PartnerCenterEndpointException($"The {what} must not carry a user name or password ({url.Scheme}://{url.Host}).");
        }

        var isHttps = string.Equals(url.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        var isHttp = string.Equals(url.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase);
        if (!isHttps && !(isHttp && allowLoopbackHttp))
        {
            throw new PartnerCenterEndpointException(allowLoopbackHttp
                ? $"The {what} '{url.GetLeftPart(UriPartial.Path)}' uses the scheme '{url.Scheme}'. Only https (and http to a loopback host) is supported."
                : $"The {what} '{url.GetLeftPart(UriPartial.Path)}' must use https.");
        }

        if (isHttp && !url.IsLoopback)
        {
            throw new PartnerCenterEndpointException(
                $"The {what} '{url.GetLeftPart(UriPartial.Authority)}' uses plain http to a host that is not loopback. " +
                "The access token would travel unencrypted: use https, or http only to localhost/127.0.0.1/[::1].");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw new PartnerCenterEndpointException(
                $"The {what} '{url.GetLeftPart(UriPartial.Authority)}' must not carry a query or a fragment.");
        }

        var text = url.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/", UriKind.Absolute);
    }
}
