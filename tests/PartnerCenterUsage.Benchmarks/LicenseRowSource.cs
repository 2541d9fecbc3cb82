using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// A portfolio's license rows, made one at a time as they are enumerated and held by nobody: first every customer's
/// usage rows (as <c>Get-PCLicenseUsage</c> streams them), then every customer's deployment rows
/// (<c>Get-PCLicenseDeployment</c>). The rows are of the module's own types, taken from its cmdlets' OutputType (the
/// module loads its engine in a load context of its own, so the benchmark cannot construct them by name), and every
/// string is a fresh instance per row, as rows read from JSON are. Deterministic: the same arguments give the same rows.
/// </summary>
/// <remarks>
/// Each customer has 1 to 2,000 seats (log-uniform) and the first products of its own shuffle of the catalog below:
/// deployment rows take one product each, usage rows one workload of a product each. A customer's row counts vary
/// around the average (pairs of customers trade rows) so that the totals are exact. About 3 % of the rows leave a
/// count unknown (null): 2 % the active (deployed) count, 1 % the qualified (sold) one.
/// </remarks>
internal sealed class LicenseRowSource : IEnumerable<object>
{
    private static readonly DateTimeOffset Processed = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] NameParts = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Adatum", "Litware", "Proseware", "Wingtip", "Alpine"];
    private static readonly string[] NameSuffixes = ["Ltd", "Inc", "GmbH", "SA", "BV", "Pty", "LLC", "AB"];

    private static readonly (string Name, (string Code, string Name)[] Workloads)[] Catalog =
    [
        ("MICROSOFT 365 BUSINESS PREMIUM", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus"), ("INTUNE", "Intune")]),
        ("MICROSOFT 365 BUSINESS STANDARD", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus")]),
        ("MICROSOFT 365 BUSINESS BASIC", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams")]),
        ("OFFICE 365 E3", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus"), ("YAM", "Yammer")]),
        ("MICROSOFT 365 E3", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus"), ("INTUNE", "Intune")]),
        ("MICROSOFT 365 E5", [("EXO", "Exchange"), ("SPO", "SharePoint"), ("ODB", "OneDrive"), ("TEAMS", "Teams"), ("OPP", "Office ProPlus"), ("YAM", "Yammer")]),
        ("EXCHANGE ONLINE (PLAN 1)", [("EXO", "Exchange")]),
        ("MICROSOFT 365 APPS FOR BUSINESS", [("OPP", "Office ProPlus"), ("ODB", "OneDrive")]),
        ("MICROSOFT TEAMS ESSENTIALS", [("TEAMS", "Teams")]),
        ("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", [("EXO", "Exchange")]),
        ("VISIO PLAN 2", [("VISIO", "Visio")]),
        ("PROJECT PLAN 3", [("PROJECT", "Project")]),
        ("POWER BI PRO", [("PBI", "Power BI")]),
        ("MICROSOFT DEFENDER FOR OFFICE 365 (PLAN 1)", [("MDO", "Defender for Office 365")]),
        ("MICROSOFT INTUNE PLAN 1", [("INTUNE", "Intune")]),
        ("MICROSOFT ENTRA ID P1", [("AAD", "Entra ID")]),
    ];

    private static readonly string[] UsageProperties =
    [
        "CustomerId", "CustomerName", "ProductId", "ProductName", "ServiceCode", "ServiceName", "WorkloadCode", "WorkloadName",
        "Channel", "LicensesQualified", "LicensesActive", "ProcessedDateTime",
    ];

    private static readonly string[] DeploymentProperties =
    [
        "CustomerId", "CustomerName", "ProductId", "ProductName", "ServiceCode", "ServiceName", "Channel", "LicensesSold",
        "LicensesDeployed", "ProcessedDateTime",
    ];

    private readonly Func<object?[], object> _newUsage;
    private readonly Func<object?[], object> _newDeployment;

    public LicenseRowSource(Type usageType, Type deploymentType, int customers, int usageRows, int deploymentRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);

        // The most rows a customer can have: every workload of every product, or every product.
        ArgumentOutOfRangeException.ThrowIfGreaterThan((usageRows / customers) + 9, Catalog.Sum(p => p.Workloads.Length), nameof(usageRows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((deploymentRows / customers) + 6, Catalog.Length, nameof(deploymentRows));
        _newUsage = Factory(usageType, UsageProperties);
        _newDeployment = Factory(deploymentType, DeploymentProperties);
        Customers = customers;
        UsageRows = usageRows;
        DeploymentRows = deploymentRows;
    }

    public int Customers { get; }

    public int UsageRows { get; }

    public int DeploymentRows { get; }

    public long Count => (long)UsageRows + DeploymentRows;

    /// <summary>Called every <see cref="SampleEvery"/> rows (with the rows enumerated so far), once the previous rows went down the pipeline.</summary>
    public Action<long>? Sample { get; init; }

    /// <summary>How often <see cref="Sample"/> is called; it is also called once after the last row.</summary>
    public int SampleEvery { get; init; } = 10_000;

    public IEnumerator<object> GetEnumerator()
    {
        long enumerated = 0;
        var values = new object?[UsageProperties.Length];
        foreach (var row in Rows(values))
        {
            if (Sample is not null && enumerated > 0 && enumerated % SampleEvery == 0)
            {
                // The pipeline is synchronous: when the next row is asked for, the previous one has been through
                // every command after the source.
                Sample(enumerated);
            }

            enumerated++;
            yield return row;
        }

        Sample?.Invoke(enumerated);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<object> Rows(object?[] values)
    {
        for (var customer = 0; customer < Customers; customer++)
        {
            var plan = Plan(customer);
            var random = new Random(unchecked((customer * 7919) + 1));
            var row = 0;
            foreach (var product in plan.Products)
            {
                foreach (var (code, workload) in Catalog[product].Workloads)
                {
                    if (row++ == plan.UsageRows)
                    {
                        break;
                    }

                    // Qualified: the product's deployed licenses; active: 10 to 100 % of them.
                    var qualified = (long)plan.Deployed[product];
                    var active = (long)Math.Round(qualified * (0.1 + (0.9 * random.NextDouble())));
                    var unknown = random.NextDouble();
                    Fill(values, customer, product);
                    values[6] = new string(code.AsSpan());
                    values[7] = new string(workload.AsSpan());
                    values[8] = Channel(customer);
                    values[9] = unknown < 0.01 ? null : qualified;
                    values[10] = unknown is >= 0.01 and < 0.03 ? null : active;
                    values[11] = Processed;
                    yield return _newUsage(values);
                }

                if (row > plan.UsageRows)
                {
                    break;
                }
            }
        }

        for (var customer = 0; customer < Customers; customer++)
        {
            var plan = Plan(customer);
            var random = new Random(unchecked((customer * 7919) + 2));
            foreach (var product in plan.Products.Take(plan.DeploymentRows))
            {
                var unknown = random.NextDouble();
                Fill(values, customer, product);
                values[6] = Channel(customer);
                values[7] = unknown < 0.01 ? null : (long)plan.Sold[product];
                values[8] = unknown is >= 0.01 and < 0.03 ? null : (long)plan.Deployed[product];
                values[9] = Processed;
                yield return _newDeployment(values);
            }
        }
    }

    private static void Fill(object?[] values, int customer, int product)
    {
        values[0] = CustomerId(customer);
        values[1] = string.Create(CultureInfo.InvariantCulture, $"{NameParts[customer % NameParts.Length]} {customer:00000} {NameSuffixes[customer % NameSuffixes.Length]}");
        values[2] = string.Create(CultureInfo.InvariantCulture, $"CFQ7TTC0{product + 1:X4}");
        values[3] = new string(Catalog[product].Name.AsSpan());
        values[4] = new string("O365".AsSpan());
        values[5] = new string("o365".AsSpan());
    }

    private static Guid CustomerId(int customer) => new(customer, 0x5043, 0x4c52, 0x9e, 0x11, 0x42, 0x65, 0x6e, 0x63, 0x68, 0x2d);

    private static string Channel(int customer) => new((customer % 3 == 0 ? "direct" : "reseller").AsSpan());

    /// <summary>A customer's products (its shuffle of the catalog), their sold and deployed counts, and its row counts.</summary>
    private Plan Plan(int customer)
    {
        var random = new Random(unchecked(customer * 7919));
        var products = Enumerable.Range(0, Catalog.Length).ToArray();
        random.Shuffle(products);
        var seats = Math.Exp(random.NextDouble() * Math.Log(2_000));
        var sold = new int[Catalog.Length];
        var deployed = new int[Catalog.Length];
        foreach (var product in products)
        {
            sold[product] = Math.Max(1, (int)Math.Round(seats * (0.2 + (0.8 * random.NextDouble()))));
            deployed[product] = (int)Math.Round(sold[product] * (0.5 + (0.5 * random.NextDouble())));
        }

        return new Plan(products, sold, deployed, Share(customer, UsageRows, 8), Share(customer, DeploymentRows, 5));
    }

    /// <summary>
    /// The customer's part of <paramref name="total"/> rows: the average, give or take up to <paramref name="spread"/>
    /// traded with the other customer of its pair (so the sum stays exact), the remainder to the first customers.
    /// </summary>
    private int Share(int customer, int total, int spread)
    {
        var average = total / Customers;
        var share = average + (customer < total % Customers ? 1 : 0);
        var hasPartner = customer % 2 == 1 || customer + 1 < Customers;
        if (hasPartner && average > 1)
        {
            var trade = Math.Min(average - 1, (int)(unchecked((uint)(customer / 2) * 2654435761u) % (uint)(spread + 1)));
            share += customer % 2 == 0 ? trade : -trade;
        }

        return share;
    }

    /// <summary>A compiled constructor: a new <paramref name="type"/> with the properties set from an array, in order.</summary>
    private static Func<object?[], object> Factory(Type type, string[] properties)
    {
        var values = Expression.Parameter(typeof(object?[]), "values");
        var bindings = properties.Select((name, i) =>
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{type.FullName} has no property {name}.");
            return (MemberBinding)Expression.Bind(property, Expression.Convert(Expression.ArrayIndex(values, Expression.Constant(i)), property.PropertyType));
        });
        var body = Expression.Convert(Expression.MemberInit(Expression.New(type), bindings), typeof(object));
        return Expression.Lambda<Func<object?[], object>>(body, values).Compile();
    }
}

/// <summary>One customer's products, shuffled, with their counts by product index, and its row counts.</summary>
internal sealed record Plan(int[] Products, int[] Sold, int[] Deployed, int UsageRows, int DeploymentRows);
