using System.Globalization;
using System.Text.Json;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// The bodies of the classic license endpoints: per-customer usage (but the seed customer's verbatim body, which
/// <see cref="SimulatorData.UsageBody"/> keeps), deployment and subscribed SKUs, and the partner-wide aggregates. All
/// in the classic collection, {"totalCount", "items", "attributes"}.
/// </summary>
internal static class LicenseBodies
{
    /// <summary>The license groups of GET subscribedskus; the first is the default.</summary>
    public static readonly string[] LicenseGroups = [Licenses.EntraGroup, Licenses.OtherGroup];

    /// <summary>GET /v1/customers/{id}/analytics/licenses/usage of a generated customer (no customerId, as real answers often have none).</summary>
    public static byte[] Usage(SimulatedCustomer customer) => Collection(customer.Usage, (json, row) =>
    {
        json.WriteString("customerName", customer.CompanyName);
        json.WriteString("productName", row.ProductName);
        json.WriteString("serviceCode", row.ServiceCode);
        json.WriteString("serviceName", row.ServiceName);
        json.WriteString("workloadCode", row.WorkloadCode);
        json.WriteString("workloadName", row.WorkloadName);
        json.WriteNumber("licensesActive", row.LicensesActive);
        json.WriteNumber("licensesQualified", row.LicensesQualified);
        json.WriteNumber("usagePercent", row.UsagePercent);
        json.WriteString("processedDateTime", WithOffset(row.ProcessedDateTime));
        json.WriteString("channel", row.Channel);
        ObjectType(json, "CustomerLicensesUsageInsights");
    });

    /// <summary>GET /v1/customers/{id}/analytics/licenses/deployment; no customerId in the items, as in the documentation's examples.</summary>
    public static byte[] Deployment(SimulatedCustomer customer) => Collection(customer.Deployment, (json, row) =>
    {
        json.WriteString("customerName", customer.CompanyName);
        json.WriteString("productName", row.ProductName);
        json.WriteString("serviceCode", row.ServiceCode);
        json.WriteString("serviceName", row.ServiceName);
        json.WriteString("channel", row.Channel);
        json.WriteNumber("licensesDeployed", row.LicensesDeployed);
        json.WriteNumber("licensesSold", row.LicensesSold);
        json.WriteNumber("deploymentPercent", row.DeploymentPercent);
        json.WriteString("processedDateTime", WithOffset(row.ProcessedDateTime));
        ObjectType(json, "CustomerLicensesDeploymentInsights");
    });

    /// <summary>GET /v1/customers/{id}/subscribedskus: the SKUs of the license groups asked for.</summary>
    public static byte[] SubscribedSkus(SimulatedCustomer customer, IReadOnlyCollection<string> groups) =>
        Collection(customer.SubscribedSkus.Where(s => groups.Contains(s.LicenseGroupId, StringComparer.OrdinalIgnoreCase)).ToList(), (json, sku) =>
        {
            json.WriteNumber("availableUnits", sku.AvailableUnits);
            json.WriteNumber("activeUnits", sku.ActiveUnits);
            json.WriteNumber("consumedUnits", sku.ConsumedUnits);
            json.WriteNumber("suspendedUnits", sku.SuspendedUnits);
            json.WriteNumber("totalUnits", sku.TotalUnits);
            json.WriteNumber("warningUnits", sku.WarningUnits);
            json.WriteStartObject("productSku");
            json.WriteString("id", sku.SkuId);
            json.WriteString("name", sku.ProductName);
            json.WriteString("skuPartNumber", sku.SkuPartNumber);
            json.WriteString("targetType", sku.TargetType);
            json.WriteString("licenseGroupId", sku.LicenseGroupId);
            json.WriteEndObject();
            json.WriteStartArray("servicePlans");
            foreach (var plan in sku.ServicePlans)
            {
                json.WriteStartObject();
                json.WriteString("displayName", plan.DisplayName);
                json.WriteString("serviceName", plan.ServiceName);
                json.WriteString("id", plan.Id);
                json.WriteString("capabilityStatus", plan.CapabilityStatus);
                json.WriteString("targetType", plan.TargetType);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("capabilityStatus", sku.CapabilityStatus);
            ObjectType(json, "SubscribedSku");
        });

    /// <summary>GET /v1/analytics/licenses/usage: one row per workload, service and channel over all customers.</summary>
    public static byte[] PartnerUsage(SimulatorData data) =>
        Collection(data.UsageRows.GroupBy(r => (r.Row.WorkloadName, r.Row.ServiceName, r.Row.Channel)).ToList(), (json, group) =>
        {
            json.WriteString("workloadName", group.Key.WorkloadName);
            json.WriteString("serviceName", group.Key.ServiceName);
            json.WriteString("channel", group.Key.Channel);
            json.WriteNumber("proratedLicensesUsagePercent", Percent(group.Sum(r => r.Row.LicensesActive), group.Sum(r => r.Row.LicensesQualified)));
            json.WriteString("processedDateTime", WithOffset(group.Max(r => r.Row.ProcessedDateTime)));
            ObjectType(json, "PartnerLicensesUsageInsights");
        });

    /// <summary>GET /v1/analytics/licenses/deployment: one row per product, service and channel over all customers.</summary>
    public static byte[] PartnerDeployment(SimulatorData data) =>
        Collection(data.DeploymentRows.GroupBy(r => (r.Row.ProductName, r.Row.ServiceName, r.Row.Channel)).ToList(), (json, group) =>
        {
            json.WriteString("productName", group.Key.ProductName);
            json.WriteString("serviceName", group.Key.ServiceName);
            json.WriteString("channel", group.Key.Channel);
            json.WriteNumber("licensesSold", group.Sum(r => r.Row.LicensesSold));
            json.WriteNumber("proratedDeploymentPercent", Percent(group.Sum(r => r.Row.LicensesDeployed), group.Sum(r => r.Row.LicensesSold)));
            json.WriteString("processedDateTime", WithOffset(group.Max(r => r.Row.ProcessedDateTime)));
            ObjectType(json, "PartnerLicensesDeploymentInsights");
        });

    /// <summary>A date-time with its offset, as the classic endpoints write it (2017-03-09T00:00:00+00:00).</summary>
    public static string WithOffset(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // A share in percent, rounded as Partner Center rounds usagePercent; 0 when nothing is counted.
    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 2);

    private static void ObjectType(Utf8JsonWriter json, string objectType)
    {
        json.WriteStartObject("attributes");
        json.WriteString("objectType", objectType);
        json.WriteEndObject();
    }

    private static byte[] Collection<T>(IReadOnlyCollection<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("totalCount", items.Count);
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteStartObject();
                writeFields(json, item);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            ObjectType(json, "Collection");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
