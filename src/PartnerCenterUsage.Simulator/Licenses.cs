using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Simulator;

/// <summary>One license deployment row of a customer: what was sold of a product and how much of it is deployed.</summary>
public sealed record SimulatedDeployment(
    string ProductId, string ProductName, string ServiceCode, string ServiceName, string Channel,
    long LicensesDeployed, long LicensesSold, double DeploymentPercent, DateTimeOffset ProcessedDateTime);

/// <summary>One subscribed SKU of a customer: the units it bought and how many are assigned.</summary>
public sealed record SimulatedSubscribedSku(
    Guid SkuId, string SkuPartNumber, string ProductName, string TargetType, string LicenseGroupId,
    long TotalUnits, long ConsumedUnits, long ActiveUnits, long SuspendedUnits, long WarningUnits,
    string CapabilityStatus, IReadOnlyList<SimulatedServicePlan> ServicePlans)
{
    /// <summary>Units left to assign: total less consumed.</summary>
    public long AvailableUnits => TotalUnits - ConsumedUnits;
}

/// <summary>One service plan of a subscribed SKU (a workload of the product).</summary>
public sealed record SimulatedServicePlan(string DisplayName, string ServiceName, Guid Id, string CapabilityStatus, string TargetType);

/// <summary>
/// What the simulator knows of each product beyond its name, and the derivation of the deployment and the subscribed
/// SKUs of a customer from its usage rows. Every value derived here comes from a hash of stable names, not from the
/// generator's random sequence: drawing from that sequence would change every customer generated after the first one.
/// </summary>
internal static class Licenses
{
    /// <summary>The license group of Entra-managed licenses, the subscribed SKUs' default.</summary>
    public const string EntraGroup = "Group1";

    /// <summary>The license group of licenses managed elsewhere (Minecraft Education and the like).</summary>
    public const string OtherGroup = "Group2";

    // The service plan behind each workload, by workload name (the seed customer's rows have no workload codes).
    private static readonly Dictionary<string, string> ServicePlans = new(StringComparer.Ordinal)
    {
        ["Exchange"] = "EXCHANGE_S_STANDARD",
        ["SharePoint"] = "SHAREPOINTSTANDARD",
        ["Teams"] = "TEAMS1",
        ["OneDrive"] = "ONEDRIVESTANDARD",
        ["Intune"] = "INTUNE_A",
        ["Office ProPlus"] = "OFFICESUBSCRIPTION",
        ["Yammer"] = "YAMMER_ENTERPRISE",
        ["Skype For Business"] = "MCOSTANDARD",
    };

    private const string MinecraftSkuPartNumber = "MEE_STUDENT";
    private const string MinecraftPlan = "MINECRAFT_EDUCATION_EDITION";

    /// <summary>The commercial analytics' productId of a product of the catalog: its Entra SKU GUID, upper case.</summary>
    public static string ProductIdOf(string productName) => ProductCatalog.Lookup(productName).AnalyticsProductId;

    /// <summary>
    /// One deployment row per product of <paramref name="usage"/>, in order of first appearance: deployed is the product's
    /// qualified licenses (the same on each of its workloads), sold that plus 0 to 50 %, exactly 0 for about a quarter.
    /// </summary>
    public static IReadOnlyList<SimulatedDeployment> Deployment(Guid customerId, IReadOnlyList<SimulatedUsage> usage) =>
        [.. usage.GroupBy(u => u.ProductName, StringComparer.Ordinal).Select(product =>
        {
            var first = product.First();
            var deployed = first.LicensesQualified;

            // Keyed by the catalog product id, which the analytics' productId used to be: the numbers stay what they were.
            var key = string.Create(CultureInfo.InvariantCulture, $"{customerId}|{ProductCatalog.Lookup(first.ProductName).Sku.ProductId}");
            var extra = Fraction(key + "|no-extra") < 0.25 ? 0 : (long)Math.Floor(deployed * 0.5 * Fraction(key + "|extra"));
            var sold = deployed + extra;
            return new SimulatedDeployment(first.ProductId, first.ProductName, first.ServiceCode, first.ServiceName, first.Channel,
                deployed, sold, Math.Round(100.0 * deployed / sold, 2), first.ProcessedDateTime);
        })];

    /// <summary>
    /// One Entra-managed SKU per deployment row (total = sold, consumed = deployed, a service plan per workload), and a
    /// Minecraft Education SKU of the other license group when <paramref name="withOtherGroup"/>.
    /// </summary>
    public static IReadOnlyList<SimulatedSubscribedSku> SubscribedSkus(
        Guid customerId, IReadOnlyList<SimulatedUsage> usage, IReadOnlyList<SimulatedDeployment> deployment, bool withOtherGroup)
    {
        var skus = deployment.Select(row => Sku(ProductCatalog.Lookup(row.ProductName), row.ProductName, EntraGroup,
            row.LicensesSold, row.LicensesDeployed,
            usage.Where(u => u.ProductName == row.ProductName).Select(u => Plan(u.WorkloadName, ServicePlans.GetValueOrDefault(u.WorkloadName) ?? u.WorkloadName))))
            .ToList();
        if (withOtherGroup)
        {
            var key = customerId.ToString();
            var total = 10 + (long)Math.Floor(90 * Fraction(key + "|minecraft-total"));
            var consumed = (long)Math.Floor(total * Fraction(key + "|minecraft-consumed"));
            skus.Add(new SimulatedSubscribedSku(ProductCatalog.MinecraftEntraSkuId, MinecraftSkuPartNumber, ProductCatalog.Minecraft, "User", OtherGroup,
                total, consumed, ActiveUnits: total, SuspendedUnits: 0, WarningUnits: 0, "Enabled",
                [Plan("Minecraft Education", MinecraftPlan)]));
        }

        return skus;
    }

    /// <summary>A GUID from a hash of <paramref name="key"/>: the same key, the same GUID, on every run.</summary>
    public static Guid StableGuid(string key) => new(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));

    // The SKU id is the product's Entra SKU GUID, the same in every tenant, as Microsoft's are.
    private static SimulatedSubscribedSku Sku(
        CatalogProduct product, string productName, string group, long total, long consumed, IEnumerable<SimulatedServicePlan> plans) =>
        new(product.EntraSkuId, product.SkuPartNumber, productName, "User", group,
            total, consumed, ActiveUnits: total, SuspendedUnits: 0, WarningUnits: 0, "Enabled", [.. plans]);

    // Service plan ids are the same for every customer, as Microsoft's are.
    private static SimulatedServicePlan Plan(string displayName, string serviceName) =>
        new(displayName, serviceName, StableGuid("plan|" + serviceName), "Success", "User");

    // A number in [0, 1) from a hash of the key.
    public static double Fraction(string key) =>
        (BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0) >> 11) / (double)(1UL << 53);
}
