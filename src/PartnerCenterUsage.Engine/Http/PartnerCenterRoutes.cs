using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The one place that knows the Partner Center URL templates (relative to the API base URL), each built from its version
/// root: <see cref="DocumentedRoot"/>, or for the commercial analytics the root that the service answers.
/// </summary>
internal static class PartnerCenterRoutes
{
    /// <summary>The page size asked for when listing customers (what Microsoft's own samples use).</summary>
    public const int CustomerPageSize = 500;

    /// <summary>The page size asked of the commercial analytics: their documented maximum (and default).</summary>
    public const int CommercialPageSize = 10000;

    /// <summary>The version root of the documented routes.</summary>
    public const string DocumentedRoot = "v1/";

    /// <summary>
    /// The version root of the commercial analytics as their pages' own examples call them; the syntax tables say
    /// <see cref="DocumentedRoot"/>. Which one the service answers is not known: the client tries both.
    /// </summary>
    public const string PartnerRoot = "partner/" + DocumentedRoot;

    /// <summary>GET: the licenses usage insights of one customer.</summary>
    public static string CustomerLicensesUsage(Guid customerId) =>
        CustomerRoute(customerId) + "/analytics/licenses/usage";

    /// <summary>GET: the licenses deployment insights of one customer.</summary>
    public static string CustomerLicensesDeployment(Guid customerId) =>
        CustomerRoute(customerId) + "/analytics/licenses/deployment";

    /// <summary>
    /// GET: the SKUs one customer subscribes to; of the license groups given (Group1: Entra ID managed, the service's
    /// default; Group2: others), each as its own licenseGroupIds parameter.
    /// </summary>
    public static string CustomerSubscribedSkus(Guid customerId, IReadOnlyCollection<string>? licenseGroups)
    {
        var route = CustomerRoute(customerId) + "/subscribedskus";
        return licenseGroups is null || licenseGroups.Count == 0
            ? route
            : route + "?" + string.Join("&", licenseGroups.Select(g => "licenseGroupIds=" + Uri.EscapeDataString(g)));
    }

    /// <summary>GET: the subscriptions of one customer, legacy and New Commerce (a classic collection, not paged as documented).</summary>
    public static string CustomerSubscriptions(Guid customerId) => CustomerRoute(customerId) + "/subscriptions";

    /// <summary>GET: the provisioning status of one subscription (its Entra SKU id, skuId); App+User.</summary>
    public static string SubscriptionProvisioningStatus(Guid customerId, string subscriptionId) =>
        CustomerRoute(customerId) + "/subscriptions/" + Uri.EscapeDataString(subscriptionId) + "/provisioningstatus";

    /// <summary>GET: one SKU of the catalog (its dynamicAttributes.provisioningId is the Entra SKU id), in a country's catalog.</summary>
    public static string CatalogSku(string productId, string skuId, string country) =>
        DocumentedRoot + "products/" + Uri.EscapeDataString(productId) + "/skus/" + Uri.EscapeDataString(skuId) + "?country=" + Uri.EscapeDataString(country);

    /// <summary>GET: the partner's license usage aggregated over all its customers (PartnerLicensesUsageInsights).</summary>
    public const string PartnerLicensesUsage = DocumentedRoot + "analytics/licenses/usage";

    /// <summary>GET: the partner's license deployment aggregated over all its customers (PartnerLicensesDeploymentInsights).</summary>
    public const string PartnerLicensesDeployment = DocumentedRoot + "analytics/licenses/deployment";

    /// <summary>GET: one customer.</summary>
    public static string Customer(Guid customerId) => CustomerRoute(customerId);

    /// <summary>GET: the first page of customers, optionally filtered by a name or domain prefix.</summary>
    public static string Customers(int size, CustomerFilter? filter)
    {
        var route = DocumentedRoot + "customers?size=" + size.ToString(CultureInfo.InvariantCulture);
        if (filter is null)
        {
            return route;
        }

        // The filter is a JSON object, URL-encoded into the query.
        var json = JsonSerializer.Serialize(new FilterJson(filter.Field.ToString(), filter.Value, "starts_with"));
        return route + "&filter=" + Uri.EscapeDataString(json);
    }

    /// <summary>GET, under a version root: a page of the commercial analytics' per-customer license rows.</summary>
    public static string Commercial(string versionRoot, CommercialReport report, CommercialQuery query) =>
        versionRoot + (report == CommercialReport.Usage ? "analytics/commercial/usage/license?" : "analytics/commercial/deployment/license?")
        + query.ToQueryString(CommercialPageSize);

    /// <summary>
    /// True when <paramref name="uri"/> is on the API's own scheme, host and port: the only place the bearer token goes
    /// (a next-page link, a redirect).
    /// </summary>
    public static bool IsApiHost(Uri baseAddress, Uri uri) =>
        string.Equals(uri.GetLeftPart(UriPartial.Authority), baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="uri"/> with its <c>skip</c> query parameter set to <paramref name="skip"/>.</summary>
    public static Uri WithSkip(Uri uri, long skip)
    {
        var query = uri.Query.TrimStart('?');
        var kept = string.Join("&", Array.FindAll(query.Split('&'), p => p.Length > 0 && !p.StartsWith("skip=", StringComparison.OrdinalIgnoreCase)));
        var builder = new UriBuilder(uri) { Query = (kept.Length > 0 ? kept + "&" : string.Empty) + "skip=" + skip.ToString(CultureInfo.InvariantCulture) };
        return builder.Uri;
    }

    /// <summary>
    /// Where a next-page link points, resolved against the request it came with. Absolute links are accepted only on
    /// the API's own host (which gets the bearer token). A path is a route of the API when it starts with a version
    /// root (<c>v1/</c>, <c>partner/v1/</c>), after the API base's own path if it has one; a path with a leading slash
    /// but no version is relative to the version root the request used, as links.next of customer pages is
    /// ("/customers?..."); any other path, and a bare query, resolve against the request as RFC 3986 says.
    /// </summary>
    /// <exception cref="PartnerCenterInvalidResponseException">The link is not a usable URL or leaves the API host.</exception>
    public static Uri ResolveNextLink(Uri baseAddress, Uri requestUri, string link)
    {
        var path = link.Trim();
        // A link is sent as the request line: control characters could smuggle a request, and no URL the API makes
        // holds characters outside visible ASCII.
        if (!PartnerCenterHeaders.IsSafeValue(path))
        {
            throw new PartnerCenterInvalidResponseException("The next-page link holds control or non-ASCII characters; it is not followed.");
        }

        // A path starting with '/' is an absolute file URI to Uri on Unix: only what does not start so can be a URL.
        if (!path.StartsWith("/", StringComparison.Ordinal) && Uri.TryCreate(path, UriKind.Absolute, out var absolute))
        {
            if (absolute.Scheme != Uri.UriSchemeHttps && absolute.Scheme != Uri.UriSchemeHttp)
            {
                throw new PartnerCenterInvalidResponseException($"The next-page link is a {absolute.Scheme} URL, not an http(s) one; it is not followed.");
            }

            if (!IsApiHost(baseAddress, absolute))
            {
                throw new PartnerCenterInvalidResponseException(
                    $"The next-page link points to {absolute.Scheme}://{absolute.Authority}, not to the API host; it is not followed.");
            }

            return absolute;
        }

        if (path.StartsWith("?", StringComparison.Ordinal))
        {
            return new Uri(requestUri, path);
        }

        if (path.Length == 0)
        {
            throw new PartnerCenterInvalidResponseException("The next-page link is empty.");
        }

        var rootRelative = path.StartsWith("/", StringComparison.Ordinal);
        var basePath = baseAddress.AbsolutePath;
        if (rootRelative && basePath.Length > 1 && path.StartsWith(basePath, StringComparison.OrdinalIgnoreCase))
        {
            path = path.Substring(basePath.Length);
        }

        path = path.TrimStart('/');
        if (path.Length == 0)
        {
            throw new PartnerCenterInvalidResponseException("The next-page link is empty.");
        }

        if (StartsWith(path, DocumentedRoot) || StartsWith(path, PartnerRoot))
        {
            return new Uri(baseAddress, path);
        }

        // A path without a leading slash is relative to the request (RFC 3986): "license?skip=..." is a sibling. One
        // with a leading slash but no version is Partner Center's own links.next ("/customers?..."): under the
        // version root of the request.
        return rootRelative ? new Uri(baseAddress, VersionRoot(baseAddress, requestUri) + path) : new Uri(requestUri, path);
    }

    // The request's path up to and including its version ("v1/", "partner/v1/"), relative to the API base.
    private static string VersionRoot(Uri baseAddress, Uri requestUri)
    {
        var relative = requestUri.AbsolutePath.Substring(Math.Min(requestUri.AbsolutePath.Length, baseAddress.AbsolutePath.Length));
        var at = relative.IndexOf(DocumentedRoot, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? DocumentedRoot : relative.Substring(0, at + DocumentedRoot.Length);
    }

    // Every route about one customer starts here.
    private static string CustomerRoute(Guid customerId) => DocumentedRoot + "customers/" + customerId.ToString("D", CultureInfo.InvariantCulture);

    private static bool StartsWith(string path, string root) => path.StartsWith(root, StringComparison.OrdinalIgnoreCase);

    private sealed record FilterJson(string Field, string Value, string Operator);
}

/// <summary>Which customer field a prefix filter applies to.</summary>
public enum CustomerFilterField
{
    /// <summary>The company name.</summary>
    CompanyName,

    /// <summary>The domain.</summary>
    Domain,
}

/// <summary>A customer listing filter: the field starts with the value (Partner Center's starts_with).</summary>
public sealed record CustomerFilter(CustomerFilterField Field, string Value);
