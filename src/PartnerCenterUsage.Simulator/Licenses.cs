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

    // Product ids in the 12-character form of Microsoft's catalog and the SKU part numbers Entra shows for them;
    // the last one is the documentation's example customer's, the others the generated catalog's.
    private static readonly Dictionary<string, (string ProductId, string SkuPartNumber)> Products = new(StringComparer.Ordinal)
    {
        ["MICROSOFT 365 BUSINESS STANDARD"] = ("CFQ7TTC0LDPB", "O365_BUSINESS_PREMIUM"),
        ["MICROSOFT 365 BUSINESS PREMIUM"] = ("CFQ7TTC0LCHC", "SPB"),
        ["OFFICE 365 E3"] = ("CFQ7TTC0LF8Q", "ENTERPRISEPACK"),
        ["EXCHANGE ONLINE (PLAN 1)"] = ("CFQ7TTC0LH16", "EXCHANGESTANDARD"),
        ["MICROSOFT 365 E5"] = ("CFQ7TTC0LFLZ", "SPE_E5"),
        ["EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE"] = ("CFQ7TTC0LH0R", "EXCHANGEARCHIVE_ADDON"),
        ["OFFICE 365 BUSINESS ESSENTIALS"] = ("CFQ7TTC0LH18", "O365_BUSINESS_ESSENTIALS"),
    };

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

    private const string MinecraftProduct = "MINECRAFT EDUCATION STUDENT";
    private const string MinecraftSkuPartNumber = "MEE_STUDENT";
    private const string MinecraftPlan = "MINECRAFT_EDUCATION_EDITION";

    /// <summary>The product id of a product of the catalog.</summary>
    public static string ProductIdOf(string productName) => Lookup(productName).ProductId;

    /// <summary>
    /// One deployment row per product of <paramref name="usage"/>, in order of first appearance: deployed is the product's
    /// qualified licenses (the same on each of its workloads), sold that plus 0 to 50 %, exactly 0 for about a quarter.
    /// </summary>
    public static IReadOnlyList<SimulatedDeployment> Deployment(Guid customerId, IReadOnlyList<SimulatedUsage> usage) =>
        [.. usage.GroupBy(u => u.ProductName, StringComparer.Ordinal).Select(product =>
        {
            var first = product.First();
            var deployed = first.LicensesQualified;
            var key = string.Create(CultureInfo.InvariantCulture, $"{customerId}|{first.ProductId}");
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
        var skus = deployment.Select(row => Sku(customerId, row.ProductId, Lookup(row.ProductName).SkuPartNumber, row.ProductName, EntraGroup,
            row.LicensesSold, row.LicensesDeployed,
            usage.Where(u => u.ProductName == row.ProductName).Select(u => Plan(u.WorkloadName, ServicePlans.GetValueOrDefault(u.WorkloadName) ?? u.WorkloadName))))
            .ToList();
        if (withOtherGroup)
        {
            var key = customerId.ToString();
            var total = 10 + (long)Math.Floor(90 * Fraction(key + "|minecraft-total"));
            var consumed = (long)Math.Floor(total * Fraction(key + "|minecraft-consumed"));
            skus.Add(Sku(customerId, MinecraftSkuPartNumber, MinecraftSkuPartNumber, MinecraftProduct, OtherGroup, total, consumed,
                [Plan("Minecraft Education", MinecraftPlan)]));
        }

        return skus;
    }

    /// <summary>A GUID from a hash of <paramref name="key"/>: the same key, the same GUID, on every run.</summary>
    public static Guid StableGuid(string key) => new(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));

    private static SimulatedSubscribedSku Sku(
        Guid customerId, string productKey, string skuPartNumber, string productName, string group, long total, long consumed,
        IEnumerable<SimulatedServicePlan> plans) =>
        new(StableGuid(string.Create(CultureInfo.InvariantCulture, $"sku|{customerId}|{productKey}")), skuPartNumber, productName, "User", group,
            total, consumed, ActiveUnits: total, SuspendedUnits: 0, WarningUnits: 0, "Enabled", [.. plans]);

    // Service plan ids are the same for every customer, as Microsoft's are.
    private static SimulatedServicePlan Plan(string displayName, string serviceName) =>
        new(displayName, serviceName, StableGuid("plan|" + serviceName), "Success", "User");

    private static (string ProductId, string SkuPartNumber) Lookup(string productName) =>
        Products.TryGetValue(productName, out var product)
            ? product
            : throw new InvalidOperationException($"The product '{productName}' is not in the simulator's catalog: add it to {nameof(Licenses)}.");

    // A number in [0, 1) from a hash of the key.
    private static double Fraction(string key) =>
        (BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0) >> 11) / (double)(1UL << 53);
}
