using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// The earlier months of the commercial analytics (<see cref="SimulatorOptions.HistoryMonths"/>), derived from the current
/// customers so that a month-over-month comparison has realistic changes to find, and always the same ones for a seed.
/// Month k (1 = the month before <see cref="SimulatorData.ProcessedDate"/>) is the current data changed thus:
/// <list type="bullet">
/// <item>Joined: the generated customers with licenses, ranked by a hash of their id, the first
/// max(1, round(<see cref="JoinedSharePerMonth"/> × k × their count)) of them, at most <see cref="JoinedShareCap"/> of them,
/// have no rows (so a customer that joined k months ago is missing from month k and every month before it).</item>
/// <item><see cref="NewProduct"/>, bought since, has no rows in any earlier month.</item>
/// <item><see cref="RetiredProduct"/> has rows only in earlier months: at the generated customers with licenses whose id
/// hashes below <see cref="RetiredShare"/>, and at every second customer that left.</item>
/// <item>Left: for every month L, max(1, <see cref="SimulatorOptions.CustomerCount"/> / <see cref="CustomersPerLeaver"/>)
/// customers with new ids and names ("{Name} {L:00}-{j:0000} {Suffix}") last seen in month L: in months L and earlier only,
/// never among the current customers nor in the customers listing.</item>
/// <item>Waste: of the present generated customers, max(1, round(<see cref="WasteShare"/> × their count)) whose inactive
/// licenses now (on the rows of products other than <see cref="NewProduct"/>) are at least max(<see cref="WasteMinimum"/>,
/// a quarter of their qualified ones) had every license active that month (<see cref="SimulatedMonth.WasteGrew"/>), as many
/// others whose active licenses are that large had none active (<see cref="SimulatedMonth.WasteShrank"/>); their qualified
/// licenses are unchanged, and so are the deployment rows of their current products.</item>
/// <item>Every other row: per product, the qualified licenses are unchanged with even odds, else up or down (even odds) by 1
/// to max(1, 10 %) of them, never below 1; per workload the active licenses likewise, then kept between 0 and the
/// qualified ones. The deployment rows are derived from these usage rows as the current ones are (deployed = qualified,
/// sold = deployed plus the customer's and product's fixed extra share), so sold and deployed move with qualified.</item>
/// </list>
/// Every row of month k carries its processed date. The draws come from a generator of its own per month, seeded from the
/// data's seed and k: the current data, drawn from the main generator, is the same with or without history, and month k
/// is the same whatever the number of months kept.
/// </summary>
public static class MonthlyHistory
{
    /// <summary>The product bought since the earlier months: rows now, none before.</summary>
    public const string NewProduct = "MICROSOFT 365 E5";

    /// <summary>The share of the generated customers with licenses that joined in each month back.</summary>
    public const double JoinedSharePerMonth = 0.04;

    /// <summary>The largest share of the generated customers with licenses missing from a month, however far back.</summary>
    public const double JoinedShareCap = 1.0 / 3;

    /// <summary>The share of the generated customers with licenses that had <see cref="RetiredProduct"/>.</summary>
    public const double RetiredShare = 0.2;

    /// <summary>One customer left in each month per this many customers (at least one).</summary>
    public const int CustomersPerLeaver = 50;

    /// <summary>The share of a month's present generated customers with a clearly larger waste change, of each kind.</summary>
    public const double WasteShare = 0.04;

    /// <summary>The fewest licenses a clearly larger waste change moves.</summary>
    public const int WasteMinimum = 10;

    // The share of the licenses a small change moves at most (at least one license).
    private const int SmallChangeDivisor = 10;

    // The qualified licenses of a customer that left or had the retired product: 1 to this many less one, as the current customers'.
    private const int MaxQualified = 500;

    /// <summary>The product that was retired since: rows in earlier months, none now.</summary>
    public static string RetiredProduct => ProductCatalog.Retired.Name;

    /// <summary>The earlier months 1 to <paramref name="months"/> of <paramref name="customers"/>, generated from <paramref name="seed"/>.</summary>
    internal static IReadOnlyList<SimulatedMonth> Generate(IReadOnlyList<SimulatedCustomer> customers, int seed, int months)
    {
        // The seed customer (first) never joins, leaves or changes its products: it is the documentation's.
        var licensed = customers.Skip(1).Where(c => c.Usage.Count > 0).ToList();
        var byJoining = licensed.OrderBy(c => Licenses.Fraction("history-joined|" + c.Id)).ToList();
        var current = customers.Where(c => c.Usage.Count > 0).ToList();
        var leavers = new List<SimulatedCustomer>();
        var history = new List<SimulatedMonth>(months);
        for (var k = 1; k <= months; k++)
        {
            var random = new Random(SeedOf(seed, k));
            var date = SimulatorData.ProcessedDate.AddMonths(-k);
            var processed = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
            leavers.AddRange(Leavers(random, k, Math.Max(1, (customers.Count - 1) / CustomersPerLeaver)));

            var joinedCount = Math.Min((int)Math.Max(1, Math.Round(JoinedSharePerMonth * k * byJoining.Count)), (int)(JoinedShareCap * byJoining.Count));
            var joined = byJoining.Take(joinedCount).Select(c => c.Id).ToHashSet();
            var present = customers.Where(c => !joined.Contains(c.Id))
                .Select(c => (Customer: c, Rows: (IReadOnlyList<SimulatedUsage>)BaseRows(c, isSeed: c.Id == SimulatorOptions.SeedCustomerId)))
                .Where(c => c.Rows.Count > 0).ToList();

            var generated = present.Where(c => c.Customer.Id != SimulatorOptions.SeedCustomerId).ToList();
            var wasteCount = (int)Math.Max(1, Math.Round(WasteShare * generated.Count));
            var grew = Pick(random, generated.Where(c => Clearly(c.Customer, r => r.LicensesQualified - r.LicensesActive)), wasteCount, []);
            var shrank = Pick(random, generated.Where(c => Clearly(c.Customer, r => r.LicensesActive)), wasteCount, grew);

            var monthCustomers = new List<SimulatedCustomer>();
            foreach (var (customer, rows) in present.Concat(leavers.Select(l => (Customer: l, Rows: l.Usage))))
            {
                var usage = grew.Contains(customer.Id) ? Fixed(rows, r => r.LicensesQualified, processed)
                    : shrank.Contains(customer.Id) ? Fixed(rows, _ => 0, processed)
                    : Changed(random, rows, processed);
                monthCustomers.Add(customer with
                {
                    Usage = usage,
                    Deployment = Licenses.Deployment(customer.Id, usage),
                    SubscribedSkus = [],
                    Subscriptions = [],
                    SubscriptionQuirk = null,
                });
            }

            var ids = monthCustomers.Select(c => c.Id).ToHashSet();
            history.Add(new SimulatedMonth(k, date, monthCustomers,
                [.. monthCustomers.SelectMany(c => c.Usage.Select(row => (c, row)))],
                [.. monthCustomers.SelectMany(c => c.Deployment.Select(row => (c, row)))])
            {
                Joined = [.. current.Where(c => !ids.Contains(c.Id))],
                Left = [.. monthCustomers.Skip(present.Count)],
                WasteGrew = [.. current.Where(c => grew.Contains(c.Id))],
                WasteShrank = [.. current.Where(c => shrank.Contains(c.Id))],
            });
        }

        return history;
    }

    // A seed of month k's own generator: a hash, so that neighbouring seeds and months do not give related sequences.
    private static int SeedOf(int seed, int k) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"history|{seed}|{k}"))), 0);

    // A customer's rows before the month's changes: without the new product, with the retired one for a share of them.
    private static List<SimulatedUsage> BaseRows(SimulatedCustomer customer, bool isSeed)
    {
        var rows = customer.Usage.Where(r => !string.Equals(r.ProductName, NewProduct, StringComparison.Ordinal)).ToList();
        var key = "history-retired|" + customer.Id;
        if (!isSeed && customer.Usage.Count > 0 && Licenses.Fraction(key) < RetiredShare)
        {
            var qualified = 1 + (long)Math.Floor((MaxQualified - 1) * Licenses.Fraction(key + "|qualified"));
            rows.AddRange(RetiredRows(qualified, (long)Math.Floor((qualified + 1) * Licenses.Fraction(key + "|active")), customer.Usage[0].Channel));
        }

        return rows;
    }

    private static IEnumerable<SimulatedUsage> RetiredRows(long qualified, long active, string channel) =>
        [Row(RetiredProduct, "SFB", "Skype For Business", Math.Min(active, qualified), qualified, default, channel)];

    // The customers that left in month k, with their rows before any month's changes.
    private static IEnumerable<SimulatedCustomer> Leavers(Random random, int k, int count)
    {
        var catalog = SimulatorData.Catalog.Where(p => !string.Equals(p.Product, NewProduct, StringComparison.Ordinal)).ToArray();
        for (var j = 1; j <= count; j++)
        {
            var idBytes = new byte[16];
            random.NextBytes(idBytes);
            var tenantBytes = new byte[16];
            random.NextBytes(tenantBytes);
            var name = string.Create(CultureInfo.InvariantCulture,
                $"{SimulatorData.NameParts[random.Next(SimulatorData.NameParts.Length)]} {k:00}-{j:0000} {SimulatorData.NameSuffixes[random.Next(SimulatorData.NameSuffixes.Length)]}");

            // Every third one buys direct, as every third current customer does.
            var channel = j % 3 == 0 ? "direct" : "reseller";
            var rows = new List<SimulatedUsage>();
            foreach (var (product, workloads) in catalog.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
            {
                var qualified = (long)random.Next(1, MaxQualified);
                rows.AddRange(workloads.Select(w => Row(product, w.Code, w.Name, random.Next(0, (int)qualified + 1), qualified, default, channel)));
            }

            if (j % 2 == 1)
            {
                var qualified = (long)random.Next(1, MaxQualified);
                rows.AddRange(RetiredRows(qualified, random.Next(0, (int)qualified + 1), channel));
            }

            var id = new Guid(idBytes);
            yield return new SimulatedCustomer(id, name, string.Create(CultureInfo.InvariantCulture, $"former{k:00}{j:0000}.onmicrosoft.com"), rows)
            {
                TenantId = new Guid(tenantBytes),
            };
        }
    }

    // Whether these licenses of the customer's rows now that the month has too (all but the new product's) are enough
    // for a clearly larger waste change than the small changes: all of them inactive then, or none.
    private static bool Clearly(SimulatedCustomer customer, Func<SimulatedUsage, long> licenses)
    {
        var rows = customer.Usage.Where(r => !string.Equals(r.ProductName, NewProduct, StringComparison.Ordinal)).ToList();
        return rows.Sum(licenses) >= Math.Max(WasteMinimum, rows.Sum(r => r.LicensesQualified) / 4);
    }

    private static HashSet<Guid> Pick(
        Random random, IEnumerable<(SimulatedCustomer Customer, IReadOnlyList<SimulatedUsage> Rows)> candidates, int count, HashSet<Guid> taken) =>
        [.. candidates.Where(c => !taken.Contains(c.Customer.Id)).OrderBy(_ => random.Next()).Take(count).Select(c => c.Customer.Id)];

    // The rows with their qualified licenses and these active ones.
    private static List<SimulatedUsage> Fixed(IReadOnlyList<SimulatedUsage> rows, Func<SimulatedUsage, long> active, DateTimeOffset processed) =>
        [.. rows.Select(r => Row(r, r.LicensesQualified, active(r), processed))];

    // The small changes: one draw of the qualified licenses per product (in order of first appearance), one of the active per row.
    private static List<SimulatedUsage> Changed(Random random, IReadOnlyList<SimulatedUsage> rows, DateTimeOffset processed)
    {
        var qualifiedChange = new Dictionary<string, long>(StringComparer.Ordinal);
        var changed = new List<SimulatedUsage>(rows.Count);
        foreach (var row in rows)
        {
            if (!qualifiedChange.TryGetValue(row.ProductName, out var change))
            {
                change = qualifiedChange[row.ProductName] = SmallChange(random, row.LicensesQualified);
            }

            var qualified = Math.Max(1, row.LicensesQualified + change);
            var active = Math.Clamp(row.LicensesActive + SmallChange(random, qualified), 0, qualified);
            changed.Add(Row(row, qualified, active, processed));
        }

        return changed;
    }

    // Nothing with even odds, else up or down with even odds by 1 to a tenth of the licenses (at least 1).
    private static long SmallChange(Random random, long licenses)
    {
        if (random.Next(2) == 0)
        {
            return 0;
        }

        var size = random.Next(1, (int)Math.Max(1, licenses / SmallChangeDivisor) + 1);
        return random.Next(2) == 0 ? -size : size;
    }

    private static SimulatedUsage Row(SimulatedUsage row, long qualified, long active, DateTimeOffset processed) =>
        row with
        {
            LicensesQualified = qualified,
            LicensesActive = active,
            UsagePercent = Math.Round(100.0 * active / qualified, 2),
            ProcessedDateTime = processed,
        };

    private static SimulatedUsage Row(string product, string workloadCode, string workloadName, long active, long qualified, DateTimeOffset processed, string channel) =>
        new(product, "O365", "o365", workloadCode, workloadName, active, qualified, Math.Round(100.0 * active / qualified, 2), processed, channel)
        {
            ProductId = Licenses.ProductIdOf(product),
        };
}
