using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Tests.Hostile;

public static class HostileEndpoints
{
    /// <summary>The customer of the items a listing is answered with.</summary>
    public static readonly Guid Listed = Guid.Parse("0b1e5c0e-7a11-4c55-9d38-000000000001");

    /// <summary>The processedDateTime of the documented items.</summary>
    public const string Date = "2026-11-01T00:00:00Z";

    public static IReadOnlyList<HostileEndpoint> All { get; } =
    [
        new()
        {
            Name = "customer list",
            Script = "Get-PCCustomer",
            Path = "/v1/customers",
            Paged = true,
            Item = (id, n) => Customer(n == 1 ? id : Numbered(id, n), "Contoso " + n),
            Page = (_, items, token) => Classic(items, token is null ? null : "/customers?size=500", token),
            Sparse = ("""{"companyProfile":{"companyName":"Sparse Ltd"}}""", "CompanyName", ["CustomerId", "Domain", "TenantId"]),
            Nulls = """{"id":null,"commerceId":null,"companyProfile":{"companyName":"Sparse Ltd","domain":null,"tenantId":null},"relationshipToPartner":null}""",
        },
        new()
        {
            Name = "one customer",
            Script = "Get-PCCustomer -CustomerId $args[0]",
            Path = "/v1/customers/",
            PerCustomer = true,
            Item = (id, n) => Customer(id, "Contoso " + n),
            Page = (_, items, _) => HostileResponse.Json(items[0]),
            Sparse = ("""{"companyProfile":{"companyName":"Sparse Ltd"}}""", "CompanyName", ["Domain", "TenantId"]),
            Nulls = """{"id":null,"commerceId":null,"companyProfile":{"companyName":"Sparse Ltd","domain":null,"tenantId":null},"relationshipToPartner":null}""",
        },
        new()
        {
            Name = "customer usage",
            Script = "$args[0] | Get-PCCustomerLicenseUsage -ThrottleLimit 1",
            Path = "/analytics/licenses/usage",
            PerCustomer = true,
            Item = (id, n) => Usage(id, n),
            Page = (_, items, _) => Classic(items, null, null),
            Sparse = ("""{"productName":"Sparse Suite"}""", "ProductName", ["LicensesActive", "LicensesQualified", "UsagePercent", "LicensesInactive", "ProcessedDateTime"]),
            Nulls = """{"productName":"Sparse Suite","productId":null,"serviceCode":null,"workloadCode":null,"licensesActive":null,"licensesQualified":null,"usagePercent":null,"processedDateTime":null}""",
            LooseNumbers = ("""{"productName":"Loose","licensesActive":"5","licensesQualified":10.0,"usagePercent":"50"}""", "LicensesActive", "LicensesQualified"),
            BadDateText = "the first of November",
        },
        new()
        {
            Name = "customer deployment",
            Script = "$args[0] | Get-PCCustomerLicenseDeployment -ThrottleLimit 1",
            Path = "/analytics/licenses/deployment",
            PerCustomer = true,
            Item = (id, n) => Deployment(id, n),
            Page = (_, items, _) => Classic(items, null, null),
            Sparse = ("""{"productName":"Sparse Suite"}""", "ProductName", ["CustomerName", "LicensesDeployed", "LicensesSold", "LicensesUnassigned", "DeploymentPercent", "ProcessedDateTime"]),
            Nulls = """{"customerId":null,"customerName":null,"productName":"Sparse Suite","productId":null,"serviceCode":null,"serviceName":null,"channel":null,"licensesDeployed":null,"licensesSold":null,"deploymentPercent":null,"processedDateTime":null}""",
            LooseNumbers = ("""{"productName":"Loose","licensesDeployed":"5","licensesSold":10.0,"deploymentPercent":"50"}""", "LicensesDeployed", "LicensesSold"),
            BadDateText = "yesterday",
        },
        new()
        {
            Name = "customer SKUs",
            Script = "$args[0] | Get-PCCustomerSubscribedSku -ThrottleLimit 1",
            Path = "/subscribedskus",
            PerCustomer = true,
            Item = (_, n) => Sku(n, (n * 20).ToString(CultureInfo.InvariantCulture)),
            Page = (_, items, _) => Classic(items, null, null),

            // The SKU's name is the product SKU's, the only field of this one.
            Sparse = ("""{"productSku":{"name":"Sparse Suite"}}""", "ProductName",
                ["CustomerName", "SkuId", "SkuPartNumber", "TargetType", "LicenseGroupId", "TotalUnits", "ConsumedUnits", "AvailableUnits", "ActiveUnits", "SuspendedUnits", "WarningUnits", "CapabilityStatus"]),
            Nulls = """{"customerId":null,"availableUnits":null,"activeUnits":null,"consumedUnits":null,"suspendedUnits":null,"totalUnits":null,"warningUnits":null,"capabilityStatus":null,"servicePlans":[null],"productSku":{"id":null,"name":"Sparse Suite","skuPartNumber":null,"targetType":null,"licenseGroupId":null}}""",
            LooseNumbers = ("""{"productSku":{"name":"Loose"},"consumedUnits":"5","totalUnits":10.0}""", "ConsumedUnits", "TotalUnits"),

            // SKUs have no date: the value that cannot be read is a count.
            WithValue = (_, text) => Sku(1, JsonSerializer.Serialize(text)),
            ValueProperty = "TotalUnits",
            BadValueText = "twenty",
        },
        new()
        {
            Name = "customer subscriptions",
            Script = "$args[0] | Get-PCCustomerSubscription -ThrottleLimit 1",
            Path = "/subscriptions",
            PerCustomer = true,
            Item = (_, n) => Subscription(n),
            Page = (_, items, _) => Classic(items, null, null),
            Sparse = ("""{"friendlyName":"Sparse Suite"}""", "FriendlyName",
                ["CustomerName", "SubscriptionId", "OfferId", "OfferName", "Quantity", "Status", "ProductType", "BillingCycle", "TermDuration", "CreationDate",
                 "CommitmentEndDate", "TermEnd", "AutoRenewEnabled", "IsTrial", "FullRefundUntil", "RefundableQuantity", "RefundableUntil", "NextTermQuantity",
                 "ScheduledReduction", "IsNewCommerce", "ProductId", "SkuId"]),
            Nulls = """{"id":null,"offerId":null,"offerName":null,"friendlyName":"Sparse Suite","quantity":null,"unitType":null,"status":null,"productType":null,"billingType":null,"billingCycle":null,"termDuration":null,"creationDate":null,"effectiveStartDate":null,"commitmentEndDate":null,"commitmentEndDateTime":null,"cancellationAllowedUntilDate":null,"autoRenewEnabled":null,"isTrial":null,"refundOptions":[null],"refundableQuantity":{"totalQuantity":null,"details":[null]},"scheduledNextTermInstructions":{"product":null,"quantity":null}}""",
            LooseNumbers = ("""{"friendlyName":"Loose","quantity":"5","refundableQuantity":{"totalQuantity":10.0}}""", "Quantity", "RefundableQuantity"),

            // The date that cannot be read is the end of the term, which TermEnd then cannot tell either.
            BadDateText = "at the end of the term",
            ValueProperty = "CommitmentEndDate",
        },
        new()
        {
            Name = "portfolio usage",
            Script = "Get-PCLicenseUsage",
            Path = "/analytics/commercial/usage/license",
            Paged = true,
            Item = (id, n) => Commercial(id, n, deployment: false),
            Page = (server, items, token) => HostileResponse.CommercialPage(
                items, token is null ? null : server.BaseAddress + "v1/analytics/commercial/usage/license?skipToken=" + token, totalCount: null),
            Sparse = ("""{"ProductName":"Sparse Suite"}""", "ProductName", ["CustomerId", "LicensesActive", "LicensesQualified", "UsagePercent", "LicensesInactive", "ProcessedDateTime"]),
            Nulls = """{"ProductName":"Sparse Suite","CustomerTenantId":null,"CustomerName":null,"LicensesActive":null,"LicensesQualified":null,"UsagePercent":null,"ProcessedDateTime":null}""",
            LooseNumbers = ("""{"ProductName":"Loose","LicensesActive":"5","LicensesQualified":10.0}""", "LicensesActive", "LicensesQualified"),
            BadDateText = "2026-13-45",
        },
        new()
        {
            Name = "portfolio deployment",
            Script = "Get-PCLicenseDeployment",
            Path = "/analytics/commercial/deployment/license",
            Paged = true,
            Item = (id, n) => Commercial(id, n, deployment: true),
            Page = (server, items, token) => HostileResponse.CommercialPage(
                items, token is null ? null : server.BaseAddress + "v1/analytics/commercial/deployment/license?skipToken=" + token, totalCount: null),
            Sparse = ("""{"ProductName":"Sparse Suite"}""", "ProductName", ["CustomerId", "LicensesDeployed", "LicensesSold", "DeploymentPercent", "ProcessedDateTime"]),
            Nulls = """{"ProductName":"Sparse Suite","CustomerTenantId":null,"LicensesDeployed":null,"LicensesSold":null,"DeploymentPercent":null,"ProcessedDateTime":null}""",
            LooseNumbers = ("""{"ProductName":"Loose","LicensesDeployed":"5","LicensesSold":10.0}""", "LicensesDeployed", "LicensesSold"),
            BadDateText = "30/11/2026 25:00",
        },
        new()
        {
            Name = "partner usage",
            Script = "Get-PCPartnerLicenseUsage",
            Path = "/v1/analytics/licenses/usage",
            Paged = true,
            Item = (_, n) => PartnerUsage(n),
            Page = (_, items, token) => Classic(items, token is null ? null : "/analytics/licenses/usage?seekOperation=Next", token),
            Sparse = ("""{"workloadName":"Sparse Workload"}""", "WorkloadName", ["ServiceName", "Channel", "ProratedLicensesUsagePercent", "ProcessedDateTime"]),
            Nulls = """{"workloadName":"Sparse Workload","serviceName":null,"channel":null,"proratedLicensesUsagePercent":null,"processedDateTime":null}""",
            LooseNumbers = ("""{"workloadName":"Loose","proratedLicensesUsagePercent":"5"}""", "ProratedLicensesUsagePercent", null),
            BadDateText = "not processed yet",
        },
        new()
        {
            Name = "partner deployment",
            Script = "Get-PCPartnerLicenseDeployment",
            Path = "/v1/analytics/licenses/deployment",
            Paged = true,
            Item = (_, n) => PartnerDeployment(n),
            Page = (_, items, token) => Classic(items, token is null ? null : "/analytics/licenses/deployment?seekOperation=Next", token),
            Sparse = ("""{"productName":"Sparse Suite"}""", "ProductName", ["ServiceName", "Channel", "LicensesSold", "ProratedDeploymentPercent", "ProcessedDateTime"]),
            Nulls = """{"productName":"Sparse Suite","serviceName":null,"channel":null,"licensesSold":null,"proratedDeploymentPercent":null,"processedDateTime":null}""",
            LooseNumbers = ("""{"productName":"Loose","licensesSold":"5","proratedDeploymentPercent":"10.0"}""", "LicensesSold", "ProratedDeploymentPercent"),
            BadDateText = "2026-11-31",
        },
    ];

    public static TheoryData<string> Names => [.. All.Select(e => e.Name)];

    public static TheoryData<string> PerCustomerNames => [.. All.Where(e => e.PerCustomer).Select(e => e.Name)];

    public static TheoryData<string> PagedNames => [.. All.Where(e => e.Paged).Select(e => e.Name)];

    public static TheoryData<string> NumericNames => [.. All.Where(e => e.LooseNumbers is not null).Select(e => e.Name)];

    public static TheoryData<string> TypedValueNames => [.. All.Where(e => e.WithValue is not null).Select(e => e.Name)];

    public static HostileEndpoint Get(string name) => All.Single(e => e.Name == name);

    /// <summary>The customer id in a request's path, if it has one.</summary>
    public static Guid? CustomerIn(HostileRequest request) =>
        request.Path.Split('/').Select(s => Guid.TryParse(s, out var id) ? id : (Guid?)null).FirstOrDefault(id => id is not null);

    /// <summary>
    /// A classic collection, {"totalCount":n,"items":[...],"links":{"next":{...}}}: the items as given, links.next to
    /// <paramref name="nextUri"/> with MS-ContinuationToken <paramref name="token"/> when given.
    /// </summary>
    public static HostileResponse Classic(IReadOnlyList<string> items, string? nextUri, string? token)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"totalCount\":{items.Count},\"items\":[{string.Join(",", items)}]");
        if (nextUri is not null)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"links\":{{\"next\":{{\"uri\":{JsonSerializer.Serialize(nextUri)},\"method\":\"GET\",\"headers\":[{{\"key\":\"MS-ContinuationToken\",\"value\":{JsonSerializer.Serialize(token)}}}]}}}}");
        }

        json.Append('}');
        return HostileResponse.Json(json.ToString());
    }

    private static Guid Numbered(Guid id, int n)
    {
        var bytes = id.ToByteArray();
        bytes[15] = (byte)n;
        return new Guid(bytes);
    }

    private static string Customer(Guid id, string name) =>
        $$$"""{"id":"{{{id}}}","companyProfile":{"companyName":"{{{name}}}","domain":"{{{name.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}}}.onmicrosoft.com","tenantId":"{{{id}}}"},"relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}}""";

    private static string Usage(Guid id, int n) =>
        $$"""{"customerId":"{{id}}","productId":"prod-{{n}}","productName":"Suite {{n}}","serviceCode":"EXO","workloadCode":"EXO","licensesActive":{{n * 10}},"licensesQualified":{{n * 20}},"usagePercent":50,"processedDateTime":"{{Date}}"}""";

    private static string Deployment(Guid id, int n) =>
        $$"""{"customerId":"{{id}}","customerName":"Contoso","productName":"Suite {{n}}","serviceCode":"O365","serviceName":"o365","channel":"reseller","licensesDeployed":{{n * 10}},"licensesSold":{{n * 20}},"deploymentPercent":50,"processedDateTime":"{{Date}}"}""";

    /// <summary>A SubscribedSku as documented, the <paramref name="n"/>th, with <paramref name="totalUnits"/> as its totalUnits' JSON. It carries no customer.</summary>
    private static string Sku(int n, string totalUnits) =>
        $$$"""{"availableUnits":{{{n * 5}}},"activeUnits":{{{n * 20}}},"consumedUnits":{{{n * 15}}},"suspendedUnits":0,"totalUnits":{{{totalUnits}}},"warningUnits":0,"capabilityStatus":"Enabled","productSku":{"id":"5b1e0c6a-0000-4000-8000-00000000000{{{n}}}","name":"Suite {{{n}}}","skuPartNumber":"SUITE_{{{n}}}","targetType":"User","licenseGroupId":"Group1"},"servicePlans":[{"displayName":"Exchange","serviceName":"EXCHANGE_S_STANDARD","id":"9aaf7827-d63c-4b61-89c3-182f06f82e5c","capabilityStatus":"Success","targetType":"User"}],"attributes":{"objectType":"SubscribedSku"}}""";

    /// <summary>A New Commerce subscription as documented, the <paramref name="n"/>th, its commitment ending on <see cref="Date"/>. It carries no customer.</summary>
    private static string Subscription(int n) =>
        $$$"""{"id":"7c1d4a2e-0000-4000-8000-00000000000{{{n}}}","offerId":"CFQ7TTC0LF8Q:0001:CFQ7TTC0K971","offerName":"Suite {{{n}}}","friendlyName":"Suite {{{n}}}","quantity":{{{n * 10}}},"unitType":"Licenses","status":"active","productType":{"id":"OnlineServicesNCE","displayName":"OnlineServicesNCE"},"billingType":"license","billingCycle":"monthly","termDuration":"P1Y","creationDate":"2025-11-01T09:00:00Z","effectiveStartDate":"2025-11-01T00:00:00Z","commitmentEndDate":"{{{Date}}}","autoRenewEnabled":true,"isTrial":false,"refundableQuantity":{"totalQuantity":{{{n}}},"details":[{"quantity":{{{n}}},"allowedUntilDateTime":"2025-11-08T09:00:00Z"}]},"attributes":{"etag":"e{{{n}}}","objectType":"Subscription"}}""";

    private static string PartnerUsage(int n) =>
        $$$"""{"workloadName":"Workload {{{n}}}","serviceName":"o365","channel":"reseller","proratedLicensesUsagePercent":{{{n * 25}}},"processedDateTime":"{{{Date}}}","attributes":{"objectType":"PartnerLicensesUsageInsights"}}""";

    private static string PartnerDeployment(int n) =>
        $$$"""{"productName":"Suite {{{n}}}","serviceName":"o365","channel":"reseller","licensesSold":{{{n * 20}}},"proratedDeploymentPercent":{{{n * 25}}},"processedDateTime":"{{{Date}}}","attributes":{"objectType":"PartnerLicensesDeploymentInsights"}}""";

    private static string Commercial(Guid id, int n, bool deployment) => deployment
        ? $$"""{"CustomerTenantId":"{{id}}","CustomerName":"Contoso","ProductId":"prod-{{n}}","ProductName":"Suite {{n}}","LicensesDeployed":{{n * 10}},"LicensesSold":{{n * 20}},"DeploymentPercent":50,"ProcessedDateTime":"{{Date}}"}"""
        : $$"""{"CustomerTenantId":"{{id}}","CustomerName":"Contoso","ProductId":"prod-{{n}}","ProductName":"Suite {{n}}","WorkloadName":"Exchange","LicensesActive":{{n * 10}},"LicensesQualified":{{n * 20}},"UsagePercent":50,"ProcessedDateTime":"{{Date}}"}""";
}
