using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Simulator;

/// <summary>One product of the analytics: its name there, its Entra SKU, and the New Commerce SKU it is sold as.</summary>
/// <param name="Name">The product's name in the license analytics (upper case, older wording than the catalog's).</param>
/// <param name="SkuPartNumber">The SKU part number Entra shows for it.</param>
/// <param name="EntraSkuId">The Entra SKU GUID: the same in every tenant; the commercial analytics' productId and subscribedskus' productSku.id.</param>
/// <param name="Sku">The catalog SKU its New Commerce subscriptions are bought as.</param>
internal sealed record CatalogProduct(string Name, string SkuPartNumber, Guid EntraSkuId, SimulatedCatalogSku Sku)
{
    /// <summary>The Entra SKU GUID as the commercial analytics write it: upper case, as in the documentation's examples.</summary>
    public string AnalyticsProductId => EntraSkuId.ToString("D").ToUpperInvariant();
}

/// <summary>
/// The simulator's catalog: each product of the analytics with Microsoft's published Entra SKU GUID and its New Commerce
/// product id, and a few SKUs that exist for the join's hard cases (a bundle naming two Entra SKUs, a SKU without a
/// provisioningId, a nonprofit variant with an Entra SKU of its own).
/// </summary>
internal static class ProductCatalog
{
    /// <summary>Office 365 E3.</summary>
    public const string E3 = "OFFICE 365 E3";

    /// <summary>Exchange Online (Plan 1).</summary>
    public const string ExchangePlan1 = "EXCHANGE ONLINE (PLAN 1)";

    /// <summary>The archiving add-on: bought on top of an Exchange or E3 subscription.</summary>
    public const string Archiving = "EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE";

    /// <summary>Microsoft 365 Business Standard, whose second SKU has no provisioningId.</summary>
    public const string BusinessStandard = "MICROSOFT 365 BUSINESS STANDARD";

    /// <summary>Minecraft Education: licenses of the other license group, outside the analytics.</summary>
    public const string Minecraft = "MINECRAFT EDUCATION STUDENT";

    private static readonly string[] MonthlyAndAnnual = ["monthly", "annual"];
    private static readonly string[] AllCycles = ["monthly", "annual", "triennial"];

    /// <summary>The analytics' products, by name.</summary>
    public static IReadOnlyDictionary<string, CatalogProduct> Products { get; } = new[]
    {
        Product("MICROSOFT 365 BUSINESS STANDARD", "O365_BUSINESS_PREMIUM", "f245ecc8-75af-4f8e-b61f-27d8114de5f3", "CFQ7TTC0LDPB", "Microsoft 365 Business Standard", 300, AllCycles),
        Product("MICROSOFT 365 BUSINESS PREMIUM", "SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "CFQ7TTC0LCHC", "Microsoft 365 Business Premium", 300, AllCycles),
        Product(E3, "ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900", "CFQ7TTC0LF8Q", "Office 365 E3", 1000000, AllCycles),
        Product(ExchangePlan1, "EXCHANGESTANDARD", "4b9405b0-7788-4568-add1-99614e613b69", "CFQ7TTC0LH16", "Exchange Online (Plan 1)", 1000000, AllCycles),
        Product("MICROSOFT 365 E5", "SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "CFQ7TTC0LFLZ", "Microsoft 365 E5", 1000000, AllCycles),
        Product(Archiving, "EXCHANGEARCHIVE_ADDON", "ee02fd1b-340e-4a4b-b355-4a514e4c8943", "CFQ7TTC0LH0R", "Exchange Online Archiving for Exchange Online", 1000000, MonthlyAndAnnual, isAddon: true),

        // The catalog calls it Business Basic; the analytics keep its old name: the join must not go by names.
        Product("OFFICE 365 BUSINESS ESSENTIALS", "O365_BUSINESS_ESSENTIALS", "3b555118-da6a-4418-894f-7df1e2096870", "CFQ7TTC0LH18", "Microsoft 365 Business Basic", 300, AllCycles),
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>
    /// A product of the analytics' earlier months only (see <see cref="SimulatorOptions.HistoryMonths"/>): retired before
    /// New Commerce, so the catalog route does not answer it and no subscription sells it. Its catalog product id is made
    /// up (it keys the derived deployment numbers only); its Entra SKU GUID is Microsoft's (MCOSTANDARD).
    /// </summary>
    public static CatalogProduct Retired { get; } = Product(
        "SKYPE FOR BUSINESS ONLINE (PLAN 2)", "MCOSTANDARD", "d42c793f-6c78-4f43-92ca-e8f6a02b035f", "CFQ7TTC0RTRD", "Skype for Business Online (Plan 2)", 1000000, MonthlyAndAnnual);

    /// <summary>Minecraft Education's Entra SKU (made up: it is the same in every tenant, as a real one would be).</summary>
    public static Guid MinecraftEntraSkuId { get; } = Licenses.StableGuid("entra-sku|MEE_STUDENT");

    /// <summary>
    /// A bundle whose subscriptions carry Office 365 E3 or the archiving add-on: its provisioningId names both Entra
    /// SKUs, so a customer that holds both products cannot tell from the catalog which one such a subscription carries.
    /// </summary>
    public static SimulatedCatalogSku Bundle { get; } = Sku(
        "CFQ7TTC0BNDL", "0001", "Office 365 E3 with Exchange Online Archiving (bundle)",
        "Office 365 E3 and the archiving add-on sold together; either may be provisioned.",
        [Products[E3].EntraSkuId, Products[Archiving].EntraSkuId], isAddon: false, 1000000, MonthlyAndAnnual);

    /// <summary>A second SKU of Business Standard whose catalog entry has no provisioningId: only provisioning status tells what it carries.</summary>
    public static SimulatedCatalogSku WithoutProvisioningId { get; } = Sku(
        "CFQ7TTC0LDPB", "0002", "Microsoft 365 Business Standard (legacy catalog entry)",
        "A catalog entry that does not say which Entra SKU it provisions.", [], isAddon: false, 300, AllCycles);

    /// <summary>A nonprofit variant of Business Premium, with an Entra SKU of its own (made up, stable): no generated subscription uses it.</summary>
    public static SimulatedCatalogSku Nonprofit { get; } = Sku(
        "CFQ7TTC0LCHC", "0002", "Microsoft 365 Business Premium (Nonprofit Staff Pricing)",
        "Business Premium for eligible nonprofit organizations.", [Licenses.StableGuid("entra-sku|SPB_NONPROFIT")], isAddon: false, 300, AllCycles);

    /// <summary>Every SKU the catalog route answers, by "productId:skuId" (case-insensitive, as Partner Center's ids are).</summary>
    public static IReadOnlyDictionary<string, SimulatedCatalogSku> Skus { get; } =
        Products.Values.Select(p => p.Sku).Concat([Bundle, WithoutProvisioningId, Nonprofit]).ToDictionary(s => s.ProductSku, StringComparer.OrdinalIgnoreCase);

    /// <summary>The product of that analytics name; InvalidOperationException names a product the catalog lacks.</summary>
    public static CatalogProduct Lookup(string productName) =>
        Products.TryGetValue(productName, out var product)
            ? product
            : string.Equals(productName, Retired.Name, StringComparison.Ordinal)
            ? Retired
            : throw new InvalidOperationException($"The product '{productName}' is not in the simulator's catalog: add it to {nameof(ProductCatalog)}.");

    private static CatalogProduct Product(
        string name, string skuPartNumber, string entraSkuId, string productId, string title, long maximum, string[] cycles, bool isAddon = false)
    {
        var entra = Guid.Parse(entraSkuId);
        return new CatalogProduct(name, skuPartNumber, entra, Sku(productId, "0001", title, title + " (simulated catalog entry).", [entra], isAddon, maximum, cycles));
    }

    private static SimulatedCatalogSku Sku(
        string productId, string skuId, string title, string description, Guid[] provisioningIds, bool isAddon, long maximum, string[] cycles) =>
        new(productId, skuId, AvailabilityOf(productId, skuId), title, description, provisioningIds, isAddon, 1, maximum, cycles);

    // A 12-character availability id in the catalog's alphabet, the same on every run.
    private static string AvailabilityOf(string productId, string skuId)
    {
        const string Alphabet = "0123456789BCDFGHJKLMNPQRSTVWXZ";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("availability|" + productId + ":" + skuId));
        var id = new StringBuilder("CFQ7TTC0", 12);
        for (var i = 0; i < 4; i++)
        {
            id.Append(Alphabet[hash[i] % Alphabet.Length]);
        }

        return id.ToString();
    }
}
