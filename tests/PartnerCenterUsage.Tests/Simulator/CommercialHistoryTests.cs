using System.Globalization;
using System.Text.Json;
using PartnerCenterUsage.Simulator;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Simulator;

/// <summary>
/// The earlier months of the commercial analytics (<see cref="SimulatorOptions.HistoryMonths"/>): each answers its own
/// rows through the same query features as the latest, and differs from it by the rules of <see cref="MonthlyHistory"/>,
/// on which the month-over-month comparison's tests rely.
/// </summary>
public sealed class CommercialHistoryTests
{
    private const string UsagePath = "/v1/analytics/commercial/usage/license";
    private const string DeploymentPath = "/v1/analytics/commercial/deployment/license";
    private const int Months = 3;

    // Enough customers for every rule to show (joined, left, both waste changes) in every kept month.
    private const int Customers = 60;

    private static SimulatorOptions Options(int historyMonths = Months) => new() { CustomerCount = Customers, HistoryMonths = historyMonths };

    private static SimulatorData Data(int historyMonths = Months, int seed = 20170309) =>
        new(Customers, seed, new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), hostileSubscriptions: false, historyMonths);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Long(JsonElement row, string name) => row.GetProperty(name).GetInt64();

    private static string UsageKey(SimulatedCustomer customer, SimulatedUsage row) =>
        string.Create(CultureInfo.InvariantCulture, $"{customer.Id}|{customer.CompanyName}|{row.ProductId}|{row.ProductName}|{row.WorkloadName}|{row.LicensesActive}|{row.LicensesQualified}");

    private static string UsageKey(JsonElement row) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{row.GetProperty("customerTenantId").GetGuid()}|{CommercialPage.Text(row, "customerName")}|{CommercialPage.Text(row, "productId")}|{CommercialPage.Text(row, "productName")}|{CommercialPage.Text(row, "workloadName")}|{Long(row, "licensesActive")}|{Long(row, "licensesQualified")}");

    private static string DeploymentKey(SimulatedCustomer customer, SimulatedDeployment row) =>
        string.Create(CultureInfo.InvariantCulture, $"{customer.Id}|{row.ProductId}|{row.LicensesDeployed}|{row.LicensesSold}");

    private static string DeploymentKey(JsonElement row) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{row.GetProperty("customerTenantId").GetGuid()}|{CommercialPage.Text(row, "productId")}|{Long(row, "licensesDeployed")}|{Long(row, "licensesSold")}");

    // Everything a month says, as text: two months are the same data when these are equal.
    private static IEnumerable<string> Fingerprint(SimulatedMonth month) =>
        month.UsageRows.Select(r => UsageKey(r.Customer, r.Row) + "|" + r.Row.Channel + "|" + r.Row.ProcessedDateTime.ToString("O", CultureInfo.InvariantCulture))
            .Concat(month.DeploymentRows.Select(r => DeploymentKey(r.Customer, r.Row)))
            .Concat(month.Left.Select(c => $"left|{c.Id}|{c.TenantId}|{c.CompanyName}"))
            .Concat(month.Joined.Concat(month.WasteGrew).Concat(month.WasteShrank).Select(c => $"other|{c.Id}"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Each_kept_month_answers_its_own_usage_and_deployment_rows_carrying_its_date(int k)
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        var month = http.Data.History[k - 1];
        var date = SimulatorData.ProcessedDate.AddMonths(-k);

        var usage = await http.GetPageAsync(UsagePath + "?processedDateTime=" + Date(date));
        var deployment = await http.GetPageAsync("/partner" + DeploymentPath + "?processedDateTime=" + Date(date) + "T00:00:00Z");

        Assert.Equal(k, month.MonthsBack);
        Assert.Equal(date, month.ProcessedDate);
        Assert.Equal(month.UsageRows.Count, usage.TotalCount);
        Assert.Equal(month.UsageRows.Select(r => UsageKey(r.Customer, r.Row)), usage.Rows.Select(UsageKey));
        Assert.Equal(month.DeploymentRows.Count, deployment.TotalCount);
        Assert.Equal(month.DeploymentRows.Select(r => DeploymentKey(r.Customer, r.Row)), deployment.Rows.Select(DeploymentKey));
        Assert.All(usage.Rows.Concat(deployment.Rows), r => Assert.Equal(Date(date) + "T00:00:00", CommercialPage.Text(r, "processedDateTime")));
        Assert.All(month.UsageRows, r => Assert.Equal(new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero), r.Row.ProcessedDateTime));
        Assert.NotEqual(http.Data.UsageRows.Select(r => UsageKey(r.Customer, r.Row)), usage.Rows.Select(UsageKey));
    }

    [Fact]
    public async Task An_earlier_month_pages_across_pages_with_its_date_kept_in_the_links()
    {
        var options = Options();
        options.CommercialMaxPageSize = 7;
        await using var http = await SimulatorHttp.StartAsync(options);
        var month = http.Data.History[1];

        var rows = new List<JsonElement>();
        var pages = 0;
        for (string? link = "/partner" + UsagePath + "?processedDateTime=" + Date(month.ProcessedDate); link is not null; pages++)
        {
            var page = await http.GetPageAsync(link);
            Assert.Equal(month.UsageRows.Count, page.TotalCount);
            if (page.NextLink is { } next)
            {
                Assert.StartsWith("/partner" + UsagePath + "?top=10000&skip=", next, StringComparison.Ordinal);
                Assert.EndsWith("&processedDateTime=" + Date(month.ProcessedDate), next, StringComparison.Ordinal);
            }

            rows.AddRange(page.Rows);
            link = page.NextLink;
        }

        Assert.Equal(month.UsageRows.Select(r => UsageKey(r.Customer, r.Row)), rows.Select(UsageKey));
        Assert.Equal((month.UsageRows.Count + 6) / 7, pages);
        Assert.True(pages > 1);
    }

    [Fact]
    public async Task An_earlier_month_pages_with_top_and_skip()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        var month = http.Data.History[0];

        var page = await http.GetPageAsync(DeploymentPath + "?top=5&skip=10&processedDateTime=" + Date(month.ProcessedDate));

        Assert.Equal(month.DeploymentRows.Skip(10).Take(5).Select(r => DeploymentKey(r.Customer, r.Row)), page.Rows.Select(DeploymentKey));
        Assert.Equal(month.DeploymentRows.Count, page.TotalCount);
        Assert.Equal(DeploymentPath + "?top=5&skip=15&processedDateTime=" + Date(month.ProcessedDate), page.NextLink);
    }

    [Fact]
    public async Task An_earlier_month_filters_by_customerTenantId_a_customer_that_left_as_one_still_there()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        var month = http.Data.History[1];
        var left = month.Left[0];
        var stayed = month.Customers.First(c => c.Id != SimulatorOptions.SeedCustomerId && http.Data.Find(c.Id) is not null);
        var query = "&processedDateTime=" + Date(month.ProcessedDate);

        foreach (var customer in new[] { left, stayed })
        {
            var usage = await http.GetPageAsync(UsagePath + "?filter=" + Uri.EscapeDataString($"customerTenantId eq '{customer.Id}'") + query);
            var deployment = await http.GetPageAsync(DeploymentPath + "?filter=" + Uri.EscapeDataString($"customerTenantId eq '{customer.Id}'") + query);

            Assert.Equal(customer.Usage.Select(u => UsageKey(customer, u)), usage.Rows.Select(UsageKey));
            Assert.Equal(customer.Deployment.Select(d => DeploymentKey(customer, d)), deployment.Rows.Select(DeploymentKey));
            Assert.NotEmpty(usage.Rows);
        }
    }

    [Fact]
    public async Task An_earlier_month_groups_with_its_own_products_the_retired_one_in_and_the_new_one_out()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        var month = http.Data.History[0];

        var page = await http.GetPageAsync(DeploymentPath + "?groupby=productName&processedDateTime=" + Date(month.ProcessedDate));
        var now = await http.GetPageAsync(DeploymentPath + "?groupby=productName");

        var expected = month.DeploymentRows.GroupBy(r => r.Row.ProductName)
            .Select(g => (g.Key, g.Sum(r => r.Row.LicensesDeployed), g.Sum(r => r.Row.LicensesSold))).ToList();
        Assert.Equal(expected, page.Rows.Select(r => (CommercialPage.Text(r, "productName"), Long(r, "licensesDeployed"), Long(r, "licensesSold"))));
        Assert.All(page.Rows, r => Assert.Equal(Date(month.ProcessedDate) + "T00:00:00", CommercialPage.Text(r, "processedDateTime")));
        Assert.Contains(MonthlyHistory.RetiredProduct, expected.Select(e => e.Key));
        Assert.DoesNotContain(MonthlyHistory.NewProduct, expected.Select(e => e.Key));
        Assert.Contains(MonthlyHistory.NewProduct, now.Rows.Select(r => CommercialPage.Text(r, "productName")));
        Assert.DoesNotContain(MonthlyHistory.RetiredProduct, now.Rows.Select(r => CommercialPage.Text(r, "productName")));
    }

    [Theory]
    [InlineData("2026-10-15")]
    [InlineData("2026-09-30")]
    [InlineData("2026-08-02T00:00:00")]
    [InlineData("2026-07-01")]
    [InlineData("2025-11-01")]
    public async Task A_date_between_the_kept_months_or_beyond_them_has_no_rows(string date)
    {
        await using var http = await SimulatorHttp.StartAsync(Options());

        var usage = await http.GetPageAsync(UsagePath + "?top=5&processedDateTime=" + date);
        var deployment = await http.GetPageAsync("/partner" + DeploymentPath + "?processedDateTime=" + date);

        Assert.Equal(0, usage.TotalCount);
        Assert.Empty(usage.Rows);
        Assert.Null(usage.NextLink);
        Assert.Equal(0, deployment.TotalCount);
    }

    [Fact]
    public async Task Without_history_an_earlier_month_has_no_rows_and_nothing_of_it_is_generated()
    {
        await using var http = await SimulatorHttp.StartAsync(new() { CustomerCount = Customers });

        var earlier = await http.GetPageAsync(UsagePath + "?processedDateTime=" + Date(SimulatorData.ProcessedDate.AddMonths(-1)));
        var latest = await http.GetPageAsync(UsagePath + "?processedDateTime=" + Date(SimulatorData.ProcessedDate));

        Assert.Equal(0, earlier.TotalCount);
        Assert.Equal(http.Data.UsageRows.Count, latest.TotalCount);
        Assert.Equal(0, http.Data.HistoryMonths);
        Assert.Empty(http.Data.History);
    }

    [Fact]
    public async Task The_latest_month_is_the_same_byte_for_byte_with_and_without_history()
    {
        await using var without = await SimulatorHttp.StartAsync(new() { CustomerCount = Customers });
        await using var with = await SimulatorHttp.StartAsync(Options());

        foreach (var path in new[] { UsagePath, DeploymentPath, UsagePath + "?processedDateTime=2026-11-01&groupby=customerName,productName", "/v1/customers?size=500" })
        {
            Assert.Equal((await without.GetAsync(path)).Body, (await with.GetAsync(path)).Body);
        }

        Assert.Equal(without.Data.UsageRows.Select(r => UsageKey(r.Customer, r.Row) + "|" + r.Row.ProcessedDateTime.ToString("O", CultureInfo.InvariantCulture)),
            with.Data.UsageRows.Select(r => UsageKey(r.Customer, r.Row) + "|" + r.Row.ProcessedDateTime.ToString("O", CultureInfo.InvariantCulture)));
        Assert.Equal(without.Data.DeploymentRows.Select(r => DeploymentKey(r.Customer, r.Row)), with.Data.DeploymentRows.Select(r => DeploymentKey(r.Customer, r.Row)));
    }

    [Fact]
    public void Joined_customers_are_missing_from_earlier_months_more_of_them_the_further_back()
    {
        var data = Data();

        var joined = data.History.Select(m => m.Joined.Select(c => c.Id).ToHashSet()).ToList();

        foreach (var (month, ids) in data.History.Zip(joined))
        {
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.NotNull(data.Find(id)));
            Assert.DoesNotContain(month.UsageRows, r => ids.Contains(r.Customer.Id));
            Assert.DoesNotContain(month.DeploymentRows, r => ids.Contains(r.Customer.Id));
            Assert.DoesNotContain(SimulatorOptions.SeedCustomerId, ids);

            // Exactly the current customers with rows now and none that month.
            var there = month.UsageRows.Select(r => r.Customer.Id).ToHashSet();
            Assert.Equal(data.Customers.Where(c => c.Usage.Count > 0 && !there.Contains(c.Id)).Select(c => c.Id), month.Joined.Select(c => c.Id));
        }

        for (var k = 1; k < joined.Count; k++)
        {
            Assert.ProperSuperset(joined[k - 1], joined[k]);
        }
    }

    [Fact]
    public async Task Customers_that_left_are_only_in_the_earlier_months_from_the_month_they_were_last_seen_on()
    {
        await using var http = await SimulatorHttp.StartAsync(Options());
        var data = http.Data;
        var listed = (await http.GetJsonAsync("/v1/customers?size=500")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToHashSet();
        var latest = await http.GetPageAsync(UsagePath);
        var latestIds = latest.Rows.Select(r => r.GetProperty("customerTenantId").GetGuid()).ToHashSet();

        for (var k = 1; k <= Months; k++)
        {
            var month = data.History[k - 1];

            // Customers / 50 (CustomersPerLeaver) left in each month: those of months 1 to k are still there in month k.
            Assert.Equal(k * (Customers / MonthlyHistory.CustomersPerLeaver), month.Left.Count);
            Assert.Equal(month.Customers.Skip(month.Customers.Count - month.Left.Count), month.Left);
            foreach (var left in month.Left)
            {
                Assert.Null(data.Find(left.Id));
                Assert.DoesNotContain(left.Id, listed);
                Assert.DoesNotContain(left.Id, latestIds);
                Assert.DoesNotContain(data.Customers, c => c.CompanyName == left.CompanyName || c.TenantId == left.TenantId);
                Assert.Contains(month.UsageRows, r => r.Customer.Id == left.Id);
                Assert.Equal(404, (await http.GetAsync($"/v1/customers/{left.Id}")).Status);
            }

            if (k > 1)
            {
                Assert.Equal(data.History[k - 2].Left.Select(c => c.Id), month.Left.Take(data.History[k - 2].Left.Count).Select(c => c.Id));
            }

            Assert.Matches(@"^\w+ " + k.ToString("00", CultureInfo.InvariantCulture) + @"-0001 \w+$", month.Left[^1].CompanyName);
        }
    }

    [Fact]
    public void The_history_is_the_same_for_a_seed_another_for_another_seed_and_a_month_the_same_however_many_are_kept()
    {
        var once = Data();
        var again = Data();
        var longer = Data(historyMonths: Months + 2);
        var other = Data(seed: 42);

        for (var k = 0; k < Months; k++)
        {
            Assert.Equal(Fingerprint(once.History[k]), Fingerprint(again.History[k]));
            Assert.Equal(Fingerprint(once.History[k]), Fingerprint(longer.History[k]));
            Assert.NotEqual(Fingerprint(once.History[k]), Fingerprint(other.History[k]));
        }

        Assert.Equal(Months + 2, longer.History.Count);
    }

    [Fact]
    public void Rows_change_by_small_seeded_steps_some_not_at_all_some_up_some_down_within_their_bounds()
    {
        var data = Data();

        foreach (var month in data.History)
        {
            var current = data.UsageRows.ToDictionary(r => (r.Customer.Id, r.Row.ProductName, r.Row.WorkloadName), r => r.Row);
            var waste = month.WasteGrew.Concat(month.WasteShrank).Select(c => c.Id).ToHashSet();
            var compared = month.UsageRows
                .Where(r => !waste.Contains(r.Customer.Id) && current.ContainsKey((r.Customer.Id, r.Row.ProductName, r.Row.WorkloadName)))
                .Select(r => (Now: current[(r.Customer.Id, r.Row.ProductName, r.Row.WorkloadName)], Then: r.Row)).ToList();

            Assert.All(month.UsageRows, r => Assert.InRange(r.Row.LicensesActive, 0, r.Row.LicensesQualified));
            Assert.All(month.UsageRows, r => Assert.True(r.Row.LicensesQualified >= 1));
            Assert.All(month.DeploymentRows, r => Assert.InRange(r.Row.LicensesDeployed, 0, r.Row.LicensesSold));
            Assert.All(compared, c => Assert.InRange(Math.Abs(c.Then.LicensesQualified - c.Now.LicensesQualified), 0, Math.Max(1, c.Now.LicensesQualified / 10)));
            Assert.Contains(compared, c => c.Then.LicensesQualified == c.Now.LicensesQualified && c.Then.LicensesActive == c.Now.LicensesActive);
            Assert.Contains(compared, c => c.Then.LicensesQualified > c.Now.LicensesQualified);
            Assert.Contains(compared, c => c.Then.LicensesQualified < c.Now.LicensesQualified);
            Assert.Contains(compared, c => c.Then.LicensesActive > c.Now.LicensesActive);
            Assert.Contains(compared, c => c.Then.LicensesActive < c.Now.LicensesActive);
        }
    }

    [Fact]
    public void A_few_customers_have_a_clearly_larger_waste_change_with_their_qualified_licenses_unchanged()
    {
        var data = Data();

        foreach (var month in data.History)
        {
            Assert.NotEmpty(month.WasteGrew);
            Assert.NotEmpty(month.WasteShrank);
            Assert.Empty(month.WasteGrew.Intersect(month.WasteShrank));
            foreach (var (customers, activeThen) in new (IReadOnlyList<SimulatedCustomer>, Func<long, long>)[] { (month.WasteGrew, q => q), (month.WasteShrank, _ => 0) })
            {
                foreach (var customer in customers)
                {
                    var now = customer.Usage.Where(u => u.ProductName != MonthlyHistory.NewProduct).ToList();
                    var then = month.UsageRows.Where(r => r.Customer.Id == customer.Id).Select(r => r.Row).ToList();
                    Assert.All(then, u => Assert.Equal(activeThen(u.LicensesQualified), u.LicensesActive));
                    Assert.Equal(now.Select(u => (u.ProductName, u.WorkloadName, u.LicensesQualified)), then.Take(now.Count).Select(u => (u.ProductName, u.WorkloadName, u.LicensesQualified)));

                    var inactiveNow = now.Sum(u => u.LicensesQualified - u.LicensesActive);
                    var inactiveThen = then.Take(now.Count).Sum(u => u.LicensesQualified - u.LicensesActive);
                    Assert.True(Math.Abs(inactiveNow - inactiveThen) >= MonthlyHistory.WasteMinimum);
                }
            }
        }
    }

    [Fact]
    public void An_earlier_months_deployment_rows_derive_from_its_usage_rows_as_the_current_ones_do()
    {
        var data = Data();

        foreach (var month in data.History)
        {
            foreach (var customer in month.Customers)
            {
                var products = customer.Usage.GroupBy(u => u.ProductName).ToList();
                Assert.Equal(products.Select(p => (p.Key, p.First().LicensesQualified)), customer.Deployment.Select(d => (d.ProductName, d.LicensesDeployed)));
                Assert.All(customer.Deployment, d => Assert.Equal(Math.Round(100.0 * d.LicensesDeployed / d.LicensesSold, 2), d.DeploymentPercent));
                Assert.Empty(customer.Subscriptions);
                Assert.Empty(customer.SubscribedSkus);
            }

            Assert.Equal(month.Customers.SelectMany(c => c.Usage), month.UsageRows.Select(r => r.Row));
            Assert.Equal(month.Customers.SelectMany(c => c.Deployment), month.DeploymentRows.Select(r => r.Row));
        }
    }
}
