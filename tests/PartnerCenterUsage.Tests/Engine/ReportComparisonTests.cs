using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Comparison;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// ReportComparison, the rules of the section "Since the baseline": over the simulator's portfolio and its earlier
/// months, every figure's change and its parts equal what is computed here from the two months' rows; customers new,
/// gone and changed are the ones the months make so; what cannot be compared is said.
/// </summary>
public sealed class ReportComparisonTests
{
    private static readonly SimulatorData Data = new(customerCount: 300, seed: 20261203, subscriptionsAsOf: new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), historyMonths: 3);

    private static readonly LicenseReportOptions Options = new() { Title = "November", GeneratedAt = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero) };

    [Fact]
    public void Each_headline_change_and_its_parts_equal_the_two_months_rows_summed_here()
    {
        var october = Data.History[0];
        var section = Compare(Now(), [Baseline(october)]);

        var nowCustomers = Data.UsageRows.Select(r => r.Customer.Id).Concat(Data.DeploymentRows.Select(r => r.Customer.Id)).ToHashSet();
        var thenCustomers = october.UsageRows.Select(r => r.Customer.Id).Concat(october.DeploymentRows.Select(r => r.Customer.Id)).ToHashSet();
        var both = nowCustomers.Intersect(thenCustomers).ToHashSet();
        Assert.NotEmpty(nowCustomers.Except(thenCustomers));
        Assert.NotEmpty(thenCustomers.Except(nowCustomers));

        var expected = new Dictionary<string, (Func<(Guid Id, long Value)[]> Now, Func<(Guid Id, long Value)[]> Then)>
        {
            ["Licenses qualified"] = (() => [.. Data.UsageRows.Select(r => (r.Customer.Id, r.Row.LicensesQualified))], () => [.. october.UsageRows.Select(r => (r.Customer.Id, r.Row.LicensesQualified))]),
            ["Licenses active"] = (() => [.. Data.UsageRows.Select(r => (r.Customer.Id, r.Row.LicensesActive))], () => [.. october.UsageRows.Select(r => (r.Customer.Id, r.Row.LicensesActive))]),
            ["Licenses inactive"] = (() => [.. Data.UsageRows.Select(r => (r.Customer.Id, Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)))], () => [.. october.UsageRows.Select(r => (r.Customer.Id, Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)))]),
            ["Licenses sold"] = (() => [.. Data.DeploymentRows.Select(r => (r.Customer.Id, r.Row.LicensesSold))], () => [.. october.DeploymentRows.Select(r => (r.Customer.Id, r.Row.LicensesSold))]),
            ["Licenses deployed"] = (() => [.. Data.DeploymentRows.Select(r => (r.Customer.Id, r.Row.LicensesDeployed))], () => [.. october.DeploymentRows.Select(r => (r.Customer.Id, r.Row.LicensesDeployed))]),
            ["Licenses unassigned"] = (() => [.. Data.DeploymentRows.Select(r => (r.Customer.Id, Math.Max(0, r.Row.LicensesSold - r.Row.LicensesDeployed)))], () => [.. october.DeploymentRows.Select(r => (r.Customer.Id, Math.Max(0, r.Row.LicensesSold - r.Row.LicensesDeployed)))]),
        };

        var rows = section.Headline.Rows.ToDictionary(r => r.Cells[0].Text!);
        Assert.Equal(["Customers", "Licenses qualified", "Licenses active", "Licenses inactive", "Inactive share", "Licenses sold", "Licenses deployed", "Licenses unassigned"], rows.Keys);
        Assert.Equal(
            [thenCustomers.Count, nowCustomers.Count, nowCustomers.Count - thenCustomers.Count, 0, nowCustomers.Count - both.Count, -(thenCustomers.Count - both.Count)],
            Values(rows["Customers"]).Select(v => (int?)v));
        foreach (var (label, (nowRows, thenRows)) in expected)
        {
            var now = nowRows();
            var then = thenRows();
            long Sum((Guid Id, long Value)[] values, Func<Guid, bool> which) => values.Where(v => which(v.Id)).Sum(v => v.Value);
            var parts = new long?[]
            {
                Sum(then, _ => true),
                Sum(now, _ => true),
                Sum(now, _ => true) - Sum(then, _ => true),
                Sum(now, both.Contains) - Sum(then, both.Contains),
                Sum(now, id => !both.Contains(id)),
                -Sum(then, id => !both.Contains(id)),
            };
            Assert.Equal(parts, Values(rows[label]));
            Assert.Equal(parts[2], parts[3] + parts[4] + parts[5]);
            Assert.NotEqual(0, parts[2]);
        }

        var share = rows["Inactive share"].Cells;
        var shareNow = 100.0 * expected["Licenses inactive"].Now().Sum(v => v.Value) / expected["Licenses qualified"].Now().Sum(v => v.Value);
        var shareThen = 100.0 * expected["Licenses inactive"].Then().Sum(v => v.Value) / expected["Licenses qualified"].Then().Sum(v => v.Value);
        Assert.Equal(shareThen, share[1].Value.Current!.Value, 9);
        Assert.Equal(shareNow, share[2].Value.Current!.Value, 9);
        Assert.Equal(shareNow - shareThen, share[3].Value.Current!.Value, 9);
        Assert.Equal(ReportValueKind.PercentChange, share[3].Value.Kind);
    }

    [Fact]
    public void New_and_gone_customers_and_the_largest_changes_are_those_the_months_make()
    {
        var october = Data.History[0];
        var section = Compare(Now(), [Baseline(october)]);
        var tables = section.Tables.ToDictionary(t => t.Id);

        Assert.Equal(
            ["table-new-customers", "table-gone-customers", "table-inactive-up", "table-inactive-down", "table-unassigned-up", "table-unassigned-down", "table-workloads-compared"],
            section.Tables.Select(t => t.Id));
        var joined = october.Joined.Select(c => c.CompanyName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(joined.Count, tables["table-new-customers"].RowsRead);
        Assert.Equal(joined, tables["table-new-customers"].Rows.Select(r => r.Cells[0].Text!).Order(StringComparer.Ordinal));
        Assert.Equal(october.Left.Count, tables["table-gone-customers"].RowsRead);
        Assert.Equal(october.Left.Select(c => c.CompanyName).Order(StringComparer.Ordinal), tables["table-gone-customers"].Rows.Select(r => r.Cells[0].Text!).Order(StringComparer.Ordinal));

        // Inactive licenses per customer in both months, computed here: the ten largest increases and decreases.
        var now = Data.UsageRows.GroupBy(r => r.Customer.Id).ToDictionary(g => g.Key, g => (g.First().Customer.CompanyName, Inactive: g.Sum(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive))));
        var then = october.UsageRows.GroupBy(r => r.Customer.Id).ToDictionary(g => g.Key, g => g.Sum(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)));
        var changes = now.Where(c => then.ContainsKey(c.Key)).Select(c => (Name: c.Value.CompanyName, Change: c.Value.Inactive - then[c.Key])).ToList();
        Assert.Equal(
            changes.Where(c => c.Change > 0).OrderByDescending(c => c.Change).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Take(10).Select(c => (c.Name, c.Change)),
            tables["table-inactive-up"].Rows.Select(r => (r.Cells[0].Text!, (long)r.Cells[3].Value.Current!.Value)));
        Assert.Equal(
            changes.Where(c => c.Change < 0).OrderBy(c => c.Change).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Take(10).Select(c => (c.Name, c.Change)),
            tables["table-inactive-down"].Rows.Select(r => (r.Cells[0].Text!, (long)r.Cells[3].Value.Current!.Value)));
        Assert.Equal(changes.Count(c => c.Change > 0), tables["table-inactive-up"].RowsRead);

        // The customers the history made waste more (everything active then) are among the increases, and so on.
        Assert.Contains(october.WasteGrew[0].CompanyName, changes.Where(c => c.Change > 0).Select(c => c.Name));
        Assert.Contains(october.WasteShrank[0].CompanyName, changes.Where(c => c.Change < 0).Select(c => c.Name));

        // The chart: the ten largest changes either way, from the middle line.
        Assert.True(section.ChangeChart.Diverging);
        Assert.Equal(
            changes.Where(c => c.Change != 0).OrderByDescending(c => Math.Abs(c.Change)).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Take(10).Select(c => (c.Name, c.Change)),
            section.ChangeChart.Bars.Select(b => (b.Label!, (long)b.Value.Current!.Value)));
        Assert.All(section.ChangeChart.Bars, b => Assert.Equal(ReportValueKind.CountChange, b.Value.Kind));
    }

    [Fact]
    public void Workloads_then_and_now_and_products_only_one_month_has_are_said()
    {
        var section = Compare(Now(), [Baseline(Data.History[0])]);

        var workloads = section.Tables.Single(t => t.Id == "table-workloads-compared");
        var exchangeNow = Data.UsageRows.Where(r => r.Row.WorkloadName == workloads.Rows[0].Cells[0].Text).Sum(r => r.Row.LicensesQualified);
        Assert.Equal(exchangeNow, (long)workloads.Rows[0].Cells[2].Value.Current!.Value);
        Assert.Contains(section.NotCompared, n => n.StartsWith("Products ", StringComparison.Ordinal) && n.Contains("only in this report: " + MonthlyHistory.NewProduct, StringComparison.Ordinal) && n.Contains("only in the baseline: " + MonthlyHistory.RetiredProduct, StringComparison.Ordinal));
        Assert.Contains(section.NotCompared, n => n.Contains("only in this report and", StringComparison.Ordinal));
    }

    [Fact]
    public void A_baseline_without_deployment_rows_compares_usage_and_says_deployment_is_not_compared()
    {
        var baseline = new LicenseReportBuilder();
        foreach (var (customer, row) in Data.History[0].UsageRows)
        {
            baseline.Add(Usage(customer, row));
        }

        var section = Compare(Now(), [baseline.Snapshot("usage only")]);

        var sold = section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses sold").Cells;
        Assert.Null(sold[1].Value.Current);
        Assert.NotNull(sold[2].Value.Current);
        Assert.All(sold.Skip(3), c => Assert.Null(c.Value.Current));
        Assert.Contains("The baseline has no deployment rows: sold, deployed and unassigned licenses are not compared.", section.NotCompared);
        Assert.DoesNotContain(section.Tables, t => t.Id.StartsWith("table-unassigned", StringComparison.Ordinal));
        Assert.NotNull(section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses inactive").Cells[3].Value.Current);
    }

    [Fact]
    public void The_latest_baseline_before_the_report_is_compared_and_every_baseline_makes_a_trend_point()
    {
        var baselines = Data.History.Select(Baseline).Reverse().ToList();

        var section = Compare(Now(), baselines);

        Assert.Equal("2026-10-01", section.BaselineAsOf!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var inactive = section.Trends.Single(t => t.Id == "trend-licenses-inactive");
        Assert.Equal(["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"], inactive.Points.Select(p => p.Label));
        Assert.Equal(
            Data.History.Reverse().Select(m => m.UsageRows.Sum(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive)))
                .Append(Data.UsageRows.Sum(r => Math.Max(0, r.Row.LicensesQualified - r.Row.LicensesActive))),
            inactive.Points.Select(p => (long)p.Value.Current!.Value));
        Assert.Equal([false, false, false, true], inactive.Points.Select(p => p.IsCurrent));
        Assert.Contains(section.Trends, t => t.Id == "trend-customers");
        Assert.Contains(section.Trends, t => t.Id == "trend-inactive-share");

        // One baseline: no trend.
        Assert.Empty(Compare(Now(), [Baseline(Data.History[0])]).Trends);
    }

    [Fact]
    public void Customers_without_an_id_in_one_report_are_matched_by_name_and_the_page_says_how_many()
    {
        var now = new LicenseReportBuilder();
        now.Add(new CustomerLicenseUsage { CustomerId = Guid.Parse("11111111-1111-1111-1111-111111111111"), CustomerName = "Contoso", WorkloadName = "Exchange", LicensesQualified = 10, LicensesActive = 4 });
        var then = new LicenseReportBuilder();
        then.Add(new CustomerLicenseUsage { CustomerName = "CONTOSO", WorkloadName = "Exchange", LicensesQualified = 10, LicensesActive = 9 });

        var section = Compare(now, [then.Snapshot("then")]);

        Assert.Equal([1L, 1, 0, 0, 0, 0], Values(section.Headline.Rows[0]));
        Assert.Equal([1L, 6, 5, 5, 0, 0], Values(section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses inactive")));
        Assert.Contains("1 customer is matched by name: one of the reports lacks its id.", section.NotCompared);
    }

    [Fact]
    public void An_unknown_count_stays_unknown_in_the_change()
    {
        var now = new LicenseReportBuilder();
        now.Add(new CustomerLicenseUsage { CustomerName = "A", WorkloadName = "Exchange", LicensesQualified = 10 });
        var then = new LicenseReportBuilder();
        then.Add(new CustomerLicenseUsage { CustomerName = "A", WorkloadName = "Exchange", LicensesQualified = 8, LicensesActive = 8 });

        var section = Compare(now, [then.Snapshot("then")]);

        var inactive = section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses inactive").Cells;
        Assert.Equal(0, inactive[1].Value.Current);
        Assert.Null(inactive[2].Value.Current);
        Assert.Null(inactive[3].Value.Current);
        Assert.Null(inactive[4].Value.Current);
        Assert.Equal(2, section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses qualified").Cells[3].Value.Current);
    }

    [Fact]
    public void A_customer_in_both_known_in_one_report_only_has_no_change_not_one_from_or_to_zero()
    {
        var alpha = Guid.Parse("11111111-1111-1111-1111-111111111111");
        var beta = Guid.Parse("22222222-2222-2222-2222-222222222222");
        var gamma = Guid.Parse("33333333-3333-3333-3333-333333333333");
        var then = new LicenseReportBuilder();
        then.Add(new CustomerLicenseUsage { CustomerId = alpha, CustomerName = "Alpha", WorkloadName = "Exchange", LicensesQualified = 100, LicensesActive = 40 });
        then.Add(new CustomerLicenseUsage { CustomerId = beta, CustomerName = "Beta", WorkloadName = "Exchange", LicensesQualified = 50, LicensesActive = 10 });
        then.Add(new CustomerLicenseUsage { CustomerId = gamma, CustomerName = "Gamma", WorkloadName = "Exchange", LicensesQualified = 20, LicensesActive = 10 });
        var now = new LicenseReportBuilder();
        now.Add(new CustomerLicenseUsage { CustomerId = alpha, CustomerName = "Alpha", WorkloadName = "Exchange", LicensesQualified = 100 });
        now.Add(new CustomerLicenseUsage { CustomerId = beta, CustomerName = "Beta", WorkloadName = "Exchange", LicensesQualified = 50, LicensesActive = 30 });
        now.Add(new CustomerLicenseDeployment { CustomerId = gamma, CustomerName = "Gamma", ProductName = "P", LicensesSold = 5, LicensesDeployed = 5 });

        var section = Compare(now, [then.Snapshot("then")]);

        // Inactive: then 60 + 40 + 10, now only Beta's 20 known. Beta's change (−20) is the change; Alpha (unknown now)
        // and Gamma (no usage now) have none, and the page says so.
        Assert.Equal([110L, 20, -20, -20, 0, 0], Values(section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses inactive")));
        Assert.Equal([-20L], section.Tables.Single(t => t.Id == "table-inactive-down").Rows.Select(r => (long)r.Cells[3].Value.Current!.Value));
        Assert.Contains(section.NotCompared, n => n.StartsWith("Known in one report only", StringComparison.Ordinal) && n.Contains("licenses inactive, 2 customers", StringComparison.Ordinal));
    }

    [Fact]
    public void The_inactive_share_counted_from_the_figures_is_the_page_s_own_when_a_row_lacks_its_active_count()
    {
        var now = new LicenseReportBuilder();
        now.Add(new CustomerLicenseUsage { CustomerName = "A", WorkloadName = "Exchange", LicensesQualified = 10, LicensesActive = 5 });
        now.Add(new CustomerLicenseUsage { CustomerName = "A", WorkloadName = "Exchange", LicensesQualified = 10 });
        now.Add(new CustomerLicenseUsage { CustomerName = "B", WorkloadName = "Teams", LicensesQualified = 40, LicensesActive = 4 });

        var report = now.Build(new LicenseReportOptions { Title = "t", GeneratedAt = Options.GeneratedAt, Baselines = [now.Snapshot("itself")] });

        var page = report.Figures.Single(f => f.Label == "Inactive share").Value.Current;
        var share = report.Comparison!.Headline.Rows.Single(r => r.Cells[0].Text == "Inactive share").Cells;
        Assert.Equal(100.0 * (5 + 36) / (10 + 40), page);
        Assert.Equal(page, share[1].Value.Current);
        Assert.Equal(page, share[2].Value.Current);
    }

    [Fact]
    public void The_same_report_s_figures_given_twice_count_once_and_the_page_says_so()
    {
        var rows = new LicenseReportBuilder();
        foreach (var (customer, row) in Data.History[0].UsageRows)
        {
            rows.Add(Usage(customer, row));
        }

        var twice = rows.FigureRows().Concat(rows.FigureRows());
        var doubled = LicenseSnapshot.FromFigures(twice, "twice");

        var section = Compare(Now(), [doubled]);

        Assert.Equal(rows.FigureRows().Count(), doubled.RepeatedFigures);
        var once = Compare(Now(), [rows.Snapshot("once")]);
        Assert.Equal(
            Values(once.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses qualified")),
            Values(section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses qualified")));
        Assert.Contains(section.NotCompared, n => n.EndsWith("of twice given more than once (the same report twice) are counted once.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_several_baseline_customers_share_matches_none_of_them_and_the_nameless_customer_matches_the_nameless_one()
    {
        var then = new LicenseReportBuilder();
        then.Add(new CustomerLicenseUsage { CustomerId = Guid.Parse("22222222-2222-2222-2222-222222222222"), CustomerName = "Dup", WorkloadName = "Exchange", LicensesQualified = 40, LicensesActive = 10 });
        then.Add(new CustomerLicenseUsage { CustomerId = Guid.Parse("33333333-3333-3333-3333-333333333333"), CustomerName = "Dup", WorkloadName = "Exchange", LicensesQualified = 80, LicensesActive = 10 });
        then.Add(new CustomerLicenseUsage { WorkloadName = "Exchange", LicensesQualified = 50, LicensesActive = 10 });
        var now = new LicenseReportBuilder();
        now.Add(new CustomerLicenseUsage { CustomerName = "Dup", WorkloadName = "Exchange", LicensesQualified = 80, LicensesActive = 10 });
        now.Add(new CustomerLicenseUsage { WorkloadName = "Exchange", LicensesQualified = 50, LicensesActive = 20 });

        var section = Compare(now, [then.Snapshot("then")]);

        // "Dup" is new (which Dup it is cannot be told), both Dups gone; the nameless customer is in both, 40 → 30.
        Assert.Equal([3L, 2, -1, 0, 1, -2], Values(section.Headline.Rows[0]));
        Assert.Equal(["Dup"], section.Tables.Single(t => t.Id == "table-new-customers").Rows.Select(r => r.Cells[0].Text));
        Assert.Equal([-10L], section.Tables.Single(t => t.Id == "table-inactive-down").Rows.Select(r => (long)r.Cells[3].Value.Current!.Value));
        Assert.Contains(section.NotCompared, n => n.StartsWith("1 customer is not matched, and is counted as new", StringComparison.Ordinal));
    }

    [Fact]
    public void Trends_run_oldest_first_with_this_report_where_its_day_puts_it_among_later_baselines()
    {
        var october = Baseline(Data.History[0]);
        var september = Baseline(Data.History[1]);
        var december = new LicenseReportBuilder();
        december.Add(new CustomerLicenseUsage { CustomerName = "A", WorkloadName = "Exchange", LicensesQualified = 1, LicensesActive = 1, ProcessedDateTime = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });

        var section = Compare(Now(), [december.Snapshot("december"), september, october]);

        Assert.Equal("2026-10-01", section.BaselineAsOf!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var trend = section.Trends.Single(t => t.Id == "trend-customers");
        Assert.Equal(["2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"], trend.Points.Select(p => p.Label));
        Assert.Equal([false, false, true, false], trend.Points.Select(p => p.IsCurrent));
    }

    private static ComparisonSection Compare(LicenseReportBuilder now, IReadOnlyList<LicenseSnapshot> baselines)
    {
        var report = now.Build(new LicenseReportOptions { Title = Options.Title, GeneratedAt = Options.GeneratedAt, Baselines = baselines });
        return Assert.IsType<ComparisonSection>(report.Comparison);
    }

    private static LicenseReportBuilder Now()
    {
        var builder = new LicenseReportBuilder();
        foreach (var (customer, row) in Data.UsageRows)
        {
            builder.Add(Usage(customer, row));
        }

        foreach (var (customer, row) in Data.DeploymentRows)
        {
            builder.Add(Deployment(customer, row));
        }

        return builder;
    }

    private static LicenseSnapshot Baseline(SimulatedMonth month)
    {
        var builder = new LicenseReportBuilder();
        foreach (var (customer, row) in month.UsageRows)
        {
            builder.Add(Usage(customer, row));
        }

        foreach (var (customer, row) in month.DeploymentRows)
        {
            builder.Add(Deployment(customer, row));
        }

        return builder.Snapshot(month.ProcessedDate.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static CustomerLicenseUsage Usage(SimulatedCustomer customer, SimulatedUsage row) => new()
    {
        CustomerId = customer.Id,
        CustomerName = customer.CompanyName,
        ProductId = row.ProductId,
        ProductName = row.ProductName,
        WorkloadCode = row.WorkloadCode,
        WorkloadName = row.WorkloadName,
        LicensesQualified = row.LicensesQualified,
        LicensesActive = row.LicensesActive,
        ProcessedDateTime = row.ProcessedDateTime,
    };

    private static CustomerLicenseDeployment Deployment(SimulatedCustomer customer, SimulatedDeployment row) => new()
    {
        CustomerId = customer.Id,
        CustomerName = customer.CompanyName,
        ProductId = row.ProductId,
        ProductName = row.ProductName,
        LicensesSold = row.LicensesSold,
        LicensesDeployed = row.LicensesDeployed,
        ProcessedDateTime = row.ProcessedDateTime,
    };

    private static long?[] Values(ReportRow row) => [.. row.Cells.Skip(1).Select(c => c.Value.Current is { } v ? (long?)v : null)];
}
