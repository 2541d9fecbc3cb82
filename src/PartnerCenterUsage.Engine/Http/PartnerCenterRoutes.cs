using System;
using System.Globalization;
using System.Text.Json;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>The one place that knows the Partner Center URL templates (relative to the API base URL).</summary>
internal static class PartnerCenterRoutes
{
    /// <summary>The page size asked for when listing customers (what Microsoft's own samples use).</summary>
    public const int CustomerPageSize = 500;

    private const string Version = "v1/";

    /// <summary>GET: the licenses usage insights of one customer.</summary>
    public static string CustomerLicensesUsage(Guid customerId) =>
        string.Format(CultureInfo.InvariantCulture, "v1/customers/{0:D}/analytics/licenses/usage", customerId);

    /// <summary>GET: one customer.</summary>
    public static string Customer(Guid customerId) =>
        string.Format(CultureInfo.InvariantCulture, "v1/customers/{0:D}", customerId);

    /// <summary>GET: the first page of customers, optionally filtered by a name or domain prefix.</summary>
    public static string Customers(int size, CustomerFilter? filter)
    {
        var route = string.Format(CultureInfo.InvariantCulture, "v1/customers?size={0}", size);
        if (filter is null)
        {
            return route;
        }

        // The filter is a JSON object, URL-encoded into the query.
        var json = JsonSerializer.Serialize(new FilterJson(filter.Field.ToString(), filter.Value, "starts_with"));
        return route + "&filter=" + Uri.EscapeDataString(json);
    }

    /// <summary>
    /// Where links.next points: absolute (accepted only on the API's own host, which gets the bearer token), or
    /// relative with or without the version ("/customers?..." as Partner Center writes it, "/v1/customers?...").
    /// </summary>
    /// <exception cref="PartnerCenterInvalidResponseException">The link is not a usable URL or leaves the API host.</exception>
    public static Uri ResolveNextLink(Uri baseAddress, string link)
    {
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            if (!string.Equals(absolute.GetLeftPart(UriPartial.Authority), baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                throw new PartnerCenterInvalidResponseException(
                    $"The next-page link points to {absolute.GetLeftPart(UriPartial.Authority)}, not to the API host; it is not followed.");
            }

            return absolute;
        }

        var relative = link.TrimStart('/');
        if (relative.Length == 0)
        {
            throw new PartnerCenterInvalidResponseException("The next-page link is empty.");
        }

        if (!relative.StartsWith(Version, StringComparison.OrdinalIgnoreCase))
        {
            relative = Version + relative;
        }

        return new Uri(baseAddress, relative);
    }

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
