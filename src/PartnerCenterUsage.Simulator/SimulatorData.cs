using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Simulator;

/// <summary>One customer of the simulated partner.</summary>
public sealed record SimulatedCustomer(Guid Id, string CompanyName, string Domain, IReadOnlyList<SimulatedUsage> Usage)
{
    /// <summary>The customer's Entra tenant.</summary>
    public Guid TenantId { get; init; }

    /// <summary>The partner's relationship to the customer.</summary>
    public string Relationship { get; init; } = "reseller";

    /// <summary>One deployment row per product of <see cref="Usage"/>; none for a customer without usage.</summary>
    public IReadOnlyList<SimulatedDeployment> Deployment { get; init; } = [];

    /// <summary>The SKUs the customer subscribed to: one per deployment row (Group1), sometimes one more of Group2.</summary>
    public IReadOnlyList<SimulatedSubscribedSku> SubscribedSkus { get; init; } = [];

    /// <summary>
    /// This partner's subscriptions of the customer, in the order GET subscriptions lists them: for each deployment row,
    /// the subscriptions whose active seats carry its licensesSold (see <see cref="SimulatedSubscription"/>); none for a
    /// customer without licenses.
    /// </summary>
    public IReadOnlyList<SimulatedSubscription> Subscriptions { get; init; } = [];

    /// <summary>How the body of the customer's first subscription is spoilt, with <see cref="SimulatorOptions.HostileSubscriptions"/>; null when it is not.</summary>
    public SubscriptionQuirk? SubscriptionQuirk { get; init; }
}

/// <summary>One license usage row, as Partner Center would report it.</summary>
public sealed record SimulatedUsage(
    string ProductName, string ServiceCode, string ServiceName, string WorkloadCode, string WorkloadName,
    long LicensesActive, long LicensesQualified, double UsagePercent, DateTimeOffset ProcessedDateTime, string Channel)
{
    /// <summary>
    /// The product's id in the commercial analytics: its Entra SKU GUID in upper case (6FD2C87F-B296-42F0-B197-1E91E994B900 for
    /// Office 365 E3), the same for every row of a product and in every tenant, and equal to subscribedskus' productSku.id.
    /// </summary>
    public string ProductId { get; init; } = string.Empty;
}

/// <summary>
/// The simulated partner's customers: the documentation's example customer with its exact body, then
/// customers generated deterministically from a seed.
/// </summary>
public sealed class SimulatorData
{
    /// <summary>The products of the generated customers and their workloads.</summary>
    internal static readonly (string Product, (string Code, string Name)[] Workloads)[] Catalog =
    [
        ("MICROSOFT 365 BUSINESS STANDARD", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("TEAMS", "Teams"), ("ODB", "OneDrive")]),
        ("MICROSOFT 365 BUSINESS PREMIUM", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("TEAMS", "Teams"), ("INTUNE", "Intune")]),
        ("OFFICE 365 E3", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus")]),
        ("EXCHANGE ONLINE (PLAN 1)", [("EXO", "Exchange")]),
        ("MICROSOFT 365 E5", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus"), ("YAM", "Yammer")]),
        ("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", [("EXO", "Exchange")]),
    ];

    /// <summary>The first word of a generated customer's name.</summary>
    internal static readonly string[] NameParts = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Adatum", "Litware", "Proseware", "Wingtip", "Alpine"];
    /// <summary>The last word of a generated customer's name.</summary>
    internal static readonly string[] NameSuffixes = ["Ltd", "Inc", "GmbH", "SA", "BV", "Pty", "LLC", "AB"];

    private readonly Dictionary<Guid, SimulatedCustomer> _byId;
    private readonly byte[] _seedBody;
    private readonly Lazy<IReadOnlyList<SimulatedMonth>>? _history;

    /// <summary>Generates the data of <paramref name="options"/>: subscriptions dated as of its <see cref="SimulatorOptions.SubscriptionsAsOf"/>, or its clock's now.</summary>
    public SimulatorData(SimulatorOptions options)
        : this(options.CustomerCount, options.Seed, options.SubscriptionsAsOf ?? options.Clock.GetUtcNow(), options.HostileSubscriptions, options.HistoryMonths)
    {
    }

    /// <summary>
    /// Generates <paramref name="customerCount"/> customers from <paramref name="seed"/>, after the seed customer; their
    /// subscriptions' dates are relative to <paramref name="subscriptionsAsOf"/> (default: the system clock's now), and
    /// with <paramref name="hostileSubscriptions"/> some customers' subscription bodies are spoilt (see <see cref="SubscriptionQuirk"/>),
    /// and <paramref name="historyMonths"/> earlier months of the commercial analytics are kept (see <see cref="History"/>).
    /// </summary>
    public SimulatorData(int customerCount, int seed, DateTimeOffset? subscriptionsAsOf = null, bool hostileSubscriptions = false, int historyMonths = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(historyMonths);
        SubscriptionsAsOf = subscriptionsAsOf ?? DateTimeOffset.UtcNow;
        HostileSubscriptions = hostileSubscriptions;
        _seedBody = LoadSeedBody();
        var customers = new List<SimulatedCustomer>(customerCount + 1) { SeedCustomer(_seedBody, SubscriptionsAsOf) };
        var random = new Random(seed);
        var processed = new DateTimeOffset(ProcessedDate, TimeOnly.MinValue, TimeSpan.Zero);
        for (var i = 1; i <= customerCount; i++)
        {
            var idBytes = new byte[16];
            random.NextBytes(idBytes);
            var name = string.Create(CultureInfo.InvariantCulture, $"{NameParts[random.Next(NameParts.Length)]} {i:0000} {NameSuffixes[random.Next(NameSuffixes.Length)]}");
            var usage = new List<SimulatedUsage>();

            // Every tenth customer has no licenses to report: an empty collection is a real answer too.
            var products = i % 10 == 0 ? 0 : random.Next(1, 4);
            foreach (var (product, workloads) in Catalog.OrderBy(_ => random.Next()).Take(products))
            {
                var qualified = (long)random.Next(1, 500);
                foreach (var (code, workload) in workloads)
                {
                    var active = (long)random.Next(0, (int)qualified + 1);
                    usage.Add(new SimulatedUsage(product, "O365", "o365", code, workload, active, qualified,
                        Math.Round(100.0 * active / qualified, 2), processed, i % 3 == 0 ? "direct" : "reseller")
                    {
                        ProductId = Licenses.ProductIdOf(product),
                    });
                }
            }

            var tenantBytes = new byte[16];
            random.NextBytes(tenantBytes);
            var id = new Guid(idBytes);
            var deployment = Licenses.Deployment(id, usage);
            customers.Add(new SimulatedCustomer(id, name,
                string.Create(CultureInfo.InvariantCulture, $"customer{i:0000}.onmicrosoft.com"), usage)
            {
                TenantId = new Guid(tenantBytes),
                Relationship = i % 7 == 0 ? "advisor" : "reseller",
                Deployment = deployment,

                // Every fifth customer with licenses also has licenses outside Entra (license group 2).
                SubscribedSkus = Licenses.SubscribedSkus(id, usage, deployment, withOtherGroup: i % 5 == 0 && usage.Count > 0),
                Subscriptions = Subscriptions.For(id, i, deployment, SubscriptionsAsOf),
            });
        }

        if (hostileSubscriptions)
        {
            // Every quirk in turn over the generated customers that have subscriptions: each appears at 25 customers.
            // The documentation's customer keeps its exact bodies.
            var quirks = Enum.GetValues<SubscriptionQuirk>();
            var next = 0;
            for (var i = 1; i < customers.Count; i++)
            {
                if (customers[i].Subscriptions.Count > 0)
                {
                    customers[i] = customers[i] with { SubscriptionQuirk = quirks[next++ % quirks.Length] };
                }
            }
        }

        Customers = customers;
        _byId = customers.ToDictionary(c => c.Id);
        UsageRows = [.. customers.SelectMany(c => c.Usage.Select(row => (c, row)))];
        DeploymentRows = [.. customers.SelectMany(c => c.Deployment.Select(row => (c, row)))];

        // Generated when first asked for: a simulator of 10,000 customers without history pays nothing for it, and one
        // with history draws it from generators of its own, after the current data and apart from it.
        HistoryMonths = historyMonths;
        _history = historyMonths > 0 ? new Lazy<IReadOnlyList<SimulatedMonth>>(() => MonthlyHistory.Generate(customers, seed, historyMonths)) : null;
    }

    /// <summary>
    /// The processed date of the generated customers' rows, the latest the simulator has: the commercial analytics answer
    /// for this date, and for the <see cref="HistoryMonths"/> months before it only. (The seed customer's current rows keep
    /// the documentation's 2017 date.)
    /// </summary>
    public static DateOnly ProcessedDate { get; } = new(2026, 11, 1);

    /// <summary>The "now" the subscriptions' dates are relative to: which return windows are open, which terms have ended.</summary>
    public DateTimeOffset SubscriptionsAsOf { get; }

    /// <summary>True when some customers' subscription bodies are spoilt (see <see cref="SimulatedCustomer.SubscriptionQuirk"/>).</summary>
    public bool HostileSubscriptions { get; }

    /// <summary>Every SKU of the catalog GET /v1/products/{productId}/skus/{skuId} answers, the same for every partner.</summary>
    public static IReadOnlyList<SimulatedCatalogSku> CatalogSkus { get; } = [.. ProductCatalog.Skus.Values];

    /// <summary>All customers, the seed customer first.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers { get; }

    /// <summary>Every usage row of every customer, customers in order: the rows of the commercial usage analytics.</summary>
    public IReadOnlyList<(SimulatedCustomer Customer, SimulatedUsage Row)> UsageRows { get; }

    /// <summary>Every deployment row of every customer, customers in order: the rows of the commercial deployment analytics.</summary>
    public IReadOnlyList<(SimulatedCustomer Customer, SimulatedDeployment Row)> DeploymentRows { get; }

    /// <summary>How many months before <see cref="ProcessedDate"/> the commercial analytics keep (<see cref="SimulatorOptions.HistoryMonths"/>).</summary>
    public int HistoryMonths { get; }

    /// <summary>
    /// The kept earlier months, the month before <see cref="ProcessedDate"/> first (<see cref="MonthlyHistory"/> says how
    /// each differs from the current data); empty without <see cref="HistoryMonths"/>. Generated on first use.
    /// </summary>
    public IReadOnlyList<SimulatedMonth> History => _history?.Value ?? [];

    /// <summary>
    /// Which month the commercial analytics answer for a processedDateTime's date: 0 for the latest (and for none given),
    /// k for a kept month k months back, null for a date without data.
    /// </summary>
    internal int? MonthsBackOf(DateOnly? date)
    {
        if (date is not { } day || day == ProcessedDate)
        {
            return 0;
        }

        for (var k = 1; k <= HistoryMonths; k++)
        {
            if (day == ProcessedDate.AddMonths(-k))
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>The customer with that id, or null.</summary>
    public SimulatedCustomer? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>The body of GET /v1/customers/{id}/analytics/licenses/usage: the documented example, verbatim, for the seed customer.</summary>
    public byte[] UsageBody(SimulatedCustomer customer)
    {
        if (customer.Id == SimulatorOptions.SeedCustomerId)
        {
            return _seedBody;
        }

        return LicenseBodies.Usage(customer);
    }

    /// <summary>A customer as GET /v1/customers returns it.</summary>
    public static void WriteCustomer(Utf8JsonWriter json, SimulatedCustomer customer)
    {
        json.WriteStartObject();
        json.WriteString("id", customer.Id);
        json.WriteString("commerceId", customer.TenantId);
        json.WriteStartObject("companyProfile");
        json.WriteString("tenantId", customer.TenantId);
        json.WriteString("domain", customer.Domain);
        json.WriteString("companyName", customer.CompanyName);
        json.WriteStartObject("attributes");
        json.WriteString("objectType", "CustomerCompanyProfile");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteString("relationshipToPartner", customer.Relationship);
        json.WriteStartObject("attributes");
        json.WriteString("objectType", "Customer");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static byte[] LoadSeedBody()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SeedExample.json")
            ?? throw new InvalidOperationException("The seed example body is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Encoding.UTF8.GetBytes(reader.ReadToEnd().TrimEnd('\n'));
    }

    private static SimulatedCustomer SeedCustomer(byte[] seedBody, DateTimeOffset subscriptionsAsOf)
    {
        using var document = JsonDocument.Parse(seedBody);
        var items = document.RootElement.GetProperty("items");
        var rows = items.EnumerateArray().Select(item => new SimulatedUsage(
            item.GetProperty("productName").GetString()!, string.Empty, item.GetProperty("serviceName").GetString()!,
            string.Empty, item.GetProperty("workloadName").GetString()!,
            item.GetProperty("licensesActive").GetInt64(), item.GetProperty("licensesQualified").GetInt64(),
            item.GetProperty("usagePercent").GetDouble(),
            DateTimeOffset.Parse(item.GetProperty("processedDateTime").GetString()!, CultureInfo.InvariantCulture),
            item.GetProperty("channel").GetString()!)
        {
            ProductId = Licenses.ProductIdOf(item.GetProperty("productName").GetString()!),
        }).ToList();
        var name = items[0].GetProperty("customerName").GetString()!;
        var deployment = Licenses.Deployment(SimulatorOptions.SeedCustomerId, rows);
        return new SimulatedCustomer(SimulatorOptions.SeedCustomerId, name, "dtdemocspcustomer005.onmicrosoft.com", rows)
        {
            TenantId = SimulatorOptions.SeedCustomerId,
            Deployment = deployment,
            SubscribedSkus = Licenses.SubscribedSkus(SimulatorOptions.SeedCustomerId, rows, deployment, withOtherGroup: false),
            Subscriptions = Subscriptions.For(SimulatorOptions.SeedCustomerId, 0, deployment, subscriptionsAsOf),
        };
    }
}
