using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>The builder's processed days: rows of different days are kept apart, never summed as the same licenses.</summary>
public sealed class LicenseReportBuilderTests
{
    private static readonly Guid Contoso = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Fabrikam = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid Northwind = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly DateTimeOffset November = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset October = new(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly LicenseReportOptions Options = new() { Title = "Report", GeneratedAt = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero) };

    private static CustomerLicenseUsage Usage(Guid id, string workload, long? qualified, long? active, DateTimeOffset? processed) => new()
    {
        CustomerId = id,
        CustomerName = id == Contoso ? "Contoso" : id == Fabrikam ? "Fabrikam" : "Northwind",
        ProductName = "OFFICE 365 E3",
        WorkloadName = workload,
        LicensesQualified = qualified,
        LicensesActive = active,
        ProcessedDateTime = processed,
    };

    private static CustomerLicenseDeployment Deployment(Guid id, string product, long? sold, long? deployed, DateTimeOffset? processed) => new()
    {
        CustomerId = id,
        CustomerName = id == Contoso ? "Contoso" : "Fabrikam",
        ProductName = product,
        LicensesSold = sold,
        LicensesDeployed = deployed,
        ProcessedDateTime = processed,
    };

    // Last month's rows and this month's of Contoso and Fabrikam; Northwind has only last month's (its data was refreshed
    // a day, or a month, before the others': it is still a customer, counted as of its own latest day).
    private static IEnumerable<object> TwoMonths()
    {
        yield return Usage(Contoso, "Exchange", 100, 40, October);
        yield return Usage(Contoso, "Teams", 100, 90, October);
        yield return Usage(Fabrikam, "Exchange", 50, 10, October);
        yield return Usage(Northwind, "Exchange", 1000, 0, October);
        yield return Deployment(Contoso, "M365 E3", 100, 50, October);
        yield return Usage(Contoso, "Exchange", 100, 70, November);
        yield return Usage(Contoso, "Teams", 100, 95, November);
        yield return Usage(Fabrikam, "Exchange", 60, 30, November);
        yield return Deployment(Contoso, "M365 E3", 100, 80, November);
    }

    private static LicenseReportBuilder Built(IEnumerable<object> rows, int tableCap = LicenseReportBuilder.DefaultTableCap)
    {
        var report = new LicenseReportBuilder(tableCap);
        foreach (var row in rows)
        {
            Assert.True(report.TryAdd(row));
        }

        return report;
    }

    [Fact]
    public void Each_customer_is_counted_once_as_of_its_own_latest_day_whichever_comes_first()
    {
        foreach (var rows in new[] { TwoMonths().ToList(), TwoMonths().Reverse().ToList() })
        {
            var report = Built(rows);

            // October's rows of Contoso and Fabrikam are an earlier state of their licenses; Northwind's are its latest.
            Assert.Equal([October.UtcDateTime.Date], report.UsageDaysLeftOut);
            Assert.Equal([October.UtcDateTime.Date], report.DeploymentDaysLeftOut);
            Assert.Equal((1260L, 195L, 1065L), (report.Usage.Qualified!.Value, report.Usage.Active!.Value, report.Usage.Inactive!.Value));
            Assert.Equal((100L, 80L, 20L), (report.Deployment.Sold!.Value, report.Deployment.Deployed!.Value, report.Deployment.Unassigned!.Value));
            Assert.Equal(4, report.Usage.Rows);

            Assert.Equal(3, report.CustomerCount);
            Assert.Equal(["Northwind", "Contoso", "Fabrikam"], report.CustomersByWaste.Select(c => c.DisplayName));
            Assert.Equal([1000L, 35L, 30L], report.CustomersByWaste.Select(c => c.Usage.Inactive!.Value));
            // A workload's figures are its customers' latest days too: Contoso's and Fabrikam's November, Northwind's October.
            var exchange = report.Workloads.First();
            Assert.Equal(("Exchange", (long?)1160, (long?)100), (exchange.Name, exchange.Qualified, exchange.Active));
            var teams = report.Workloads.Single(w => w.Name == "Teams");
            Assert.Equal(((long?)100, (long?)95), (teams.Qualified, teams.Active));
            Assert.Equal(
                [(Contoso, November), (Contoso, November), (Fabrikam, November), (Northwind, October)],
                report.UsageTable.Select(r => (r.CustomerId!.Value, r.ProcessedDateTime!.Value)).OrderBy(r => r.Item1).ThenBy(r => r.Item2));
            Assert.Equal([November], report.DeploymentTable.Select(r => r.ProcessedDateTime).Distinct());
        }
    }

    [Fact]
    public void Rows_read_twice_are_counted_once_and_the_page_says_how_many_were_repeated()
    {
        var once = Built(TwoMonths());
        var sku = new CustomerSubscribedSku { CustomerId = Contoso, CustomerName = "Contoso", SkuId = "sku-1", ProductName = "M365 E3", TotalUnits = 10, ConsumedUnits = 4, AvailableUnits = 6 };

        // The same rows piped in twice, as `& { Get-PCLicenseUsage; Get-PCLicenseUsage }` would, or sent twice by a service.
        var twice = Built([.. TwoMonths(), .. TwoMonths(), sku, sku]);

        Assert.Equal(10, twice.RepeatedRowCount);
        Assert.Equal(
            (once.Usage.Qualified, once.Usage.Active, once.Usage.Inactive, once.Usage.Rows),
            (twice.Usage.Qualified, twice.Usage.Active, twice.Usage.Inactive, twice.Usage.Rows));
        Assert.Equal((once.Deployment.Sold, once.Deployment.Deployed), (twice.Deployment.Sold, twice.Deployment.Deployed));
        Assert.Equal(6, twice.CustomersByWaste.Single(c => c.CustomerId == Contoso).AvailableUnits);
        Assert.Equal(once.UsageTable.Count, twice.UsageTable.Count);
        Assert.Equal(once.CustomersByWaste.Select(c => c.Usage.Inactive), twice.CustomersByWaste.Select(c => c.Usage.Inactive));

        var model = twice.Build(Options);
        Assert.Equal(10, model.RowsRepeated);
        Assert.Contains("10 rows repeated a row already read", LicenseReportHtml.ToHtml(model), StringComparison.Ordinal);
        Assert.DoesNotContain("repeated", LicenseReportHtml.ToHtml(once.Build(Options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_of_one_figure_and_day_that_differ_in_channel_service_time_or_counts_are_each_counted()
    {
        var row = Usage(Contoso, "Exchange", 100, 40, November);
        var otherChannel = Usage(Contoso, "Exchange", 100, 40, November);
        otherChannel.Channel = "direct";
        var otherService = Usage(Contoso, "Exchange", 100, 40, November);
        otherService.ServiceCode = "o365-gov";
        var otherCounts = Usage(Contoso, "Exchange", 100, 41, November);
        var laterThatDay = Usage(Contoso, "Exchange", 100, 40, November.AddHours(3));

        var report = Built([row, otherChannel, otherService, otherCounts, laterThatDay]);

        Assert.Equal(0, report.RepeatedRowCount);
        Assert.Equal(5, report.Usage.Rows);
        Assert.Equal(500L, report.Usage.Qualified);
    }

    [Fact]
    public void Rows_that_name_no_customer_or_no_product_are_each_counted_since_they_may_be_of_different_ones()
    {
        var nameless = Usage(Contoso, "Exchange", 5, 3, November);
        (nameless.CustomerId, nameless.CustomerName) = (null, null);
        var noProduct = Usage(Contoso, "Exchange", 5, 3, November);
        (noProduct.ProductName, noProduct.WorkloadName) = (null, null);
        var sku = new CustomerSubscribedSku { CustomerId = Contoso, AvailableUnits = 2 };

        var report = Built([nameless, nameless, noProduct, noProduct, sku, sku]);

        Assert.Equal(0, report.RepeatedRowCount);
        Assert.Equal(20L, report.Usage.Qualified);
        Assert.Equal(4, report.CustomersByWaste.Single(c => c.CustomerId == Contoso).AvailableUnits);
    }

    [Fact]
    public void Many_rows_of_one_figure_and_day_are_told_apart_and_their_copies_found_however_many()
    {
        var rows = Enumerable.Range(0, 40).Select(i =>
        {
            var row = Usage(Contoso, "Exchange", 10, 4, November);
            row.Channel = "channel " + i;
            return row;
        }).ToList();

        var report = Built([.. rows, .. rows]);

        Assert.Equal(40, report.RepeatedRowCount);
        Assert.Equal((400L, 40L), (report.Usage.Qualified!.Value, report.Usage.Rows));
    }

    [Fact]
    public void One_row_processed_a_day_late_leaves_out_only_its_own_customer_s_earlier_day()
    {
        // The review's case: 20 customers of one day, and one of Contoso's rows a day later. Only Contoso's earlier day
        // is an earlier state; every other customer is still counted (a rule for all customers had emptied the page).
        var rows = Enumerable.Range(1, 20).Select(i => Usage(Guid.Parse($"00000000-0000-4000-8000-{i:D12}"), "Exchange", 10, 4, November)).ToList<object>();
        rows.Add(Usage(Contoso, "Exchange", 100, 40, November));
        rows.Add(Usage(Contoso, "Teams", 100, 50, November.AddDays(1)));

        var report = Built(rows);

        Assert.Equal(21, report.CustomerCount);
        Assert.Equal((300L, 130L), (report.Usage.Qualified!.Value, report.Usage.Active!.Value));
        Assert.Equal(20, report.Workloads.Single(w => w.Name == "Exchange").Rows);
        var usage = report.Build(Options).Periods.Single();
        Assert.Equal([(November.UtcDateTime.Date.AddDays(1), 1L, 1), (November.UtcDateTime.Date, 20L, 20)], usage.Days.Select(d => (d.Date!.Value, d.Rows, d.Customers)));
        Assert.Equal((November.UtcDateTime.Date, 1L, 1), usage.DaysLeftOut.Select(d => (d.Date!.Value, d.Rows, d.Customers)).Single());
    }

    [Fact]
    public void The_report_says_which_days_it_shows_and_which_rows_it_left_out()
    {
        var model = Built(TwoMonths()).Build(Options);

        var usage = model.Periods.Single(p => p.Name == "usage");
        Assert.Equal(
            [(November.UtcDateTime.Date, 3L, 2), (October.UtcDateTime.Date, 1L, 1)],
            usage.Days.Select(d => (d.Date!.Value, d.Rows, d.Customers)));
        var leftOut = Assert.Single(usage.DaysLeftOut);
        Assert.Equal((October.UtcDateTime.Date, 3L, 2), (leftOut.Date, leftOut.Rows, leftOut.Customers));
        Assert.Equal(0, usage.CustomersLeftOut);
        Assert.Equal(0, model.Periods.Single(p => p.Name == "deployment").CustomersLeftOut);

        var html = LicenseReportHtml.ToHtml(model);
        Assert.Contains("Left out of the figures, the charts and the tables: 3 usage rows processed on 2026-10-01", html, StringComparison.Ordinal);
        Assert.Contains("The usage figures sum each customer&#39;s latest rows, which are of 2 processed days: 2026-11-01 (2 customers), 2026-10-01 (1 customer).", html, StringComparison.Ordinal);
        Assert.Contains("Left out of the figures, the charts and the tables: 1 deployment row processed on 2026-10-01", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rows of those days only", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">1,065</span>Licenses inactive", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">3</span>Customers", html, StringComparison.Ordinal);
        Assert.Contains("Northwind", html, StringComparison.Ordinal);

        // Every date read is still listed where the page says when the data was processed.
        Assert.Contains("Processed: 2026-10-01 06:00 UTC, 2026-11-01 06:00 UTC.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Customers_refreshed_on_different_days_are_counted_together_and_the_page_names_the_days()
    {
        var report = Built([
            Usage(Contoso, "Exchange", 100, 40, November),
            Usage(Fabrikam, "Exchange", 50, 10, October),
            Usage(Northwind, "Exchange", 10, 5, null),
        ]);

        Assert.Empty(report.UsageDaysLeftOut);
        Assert.Equal(160, report.Usage.Qualified);
        Assert.Equal(3, report.CustomerCount);
        var model = report.Build(Options);
        var usage = Assert.Single(model.Periods);
        Assert.Equal([November.UtcDateTime.Date, October.UtcDateTime.Date, null], usage.Days.Select(d => d.Date));
        Assert.Empty(usage.DaysLeftOut);
        Assert.Contains(
            "The usage figures sum each customer&#39;s latest rows, which are of 2 processed days: 2026-11-01 (1 customer), 2026-10-01 (1 customer). Rows without a processed date (1 customer) are counted too.",
            LicenseReportHtml.ToHtml(model),
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_day_needs_no_word_and_rows_of_one_day_at_other_hours_are_of_that_day()
    {
        var report = Built([
            Usage(Contoso, "Exchange", 100, 40, November),
            Usage(Contoso, "Teams", 100, 40, November.AddHours(12)),
        ]);

        Assert.Empty(report.UsageDaysLeftOut);
        Assert.Equal(200, report.Usage.Qualified);
        var html = LicenseReportHtml.ToHtml(report.Build(Options));
        Assert.DoesNotContain("processed day", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Left out", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_and_deployment_keep_their_own_days_and_undated_rows_are_never_left_out()
    {
        var report = Built([
            Usage(Contoso, "Exchange", 100, 40, October),
            Usage(Contoso, "Exchange", 100, 70, November),
            Usage(Contoso, "Teams", 10, 0, null),
            Deployment(Contoso, "M365 E3", 100, 50, October),
        ]);

        Assert.Equal([October.UtcDateTime.Date], report.UsageDaysLeftOut);
        Assert.Empty(report.DeploymentDaysLeftOut);
        Assert.Equal((110L, 40L), (report.Usage.Qualified!.Value, report.Usage.Inactive!.Value));
        Assert.Equal(50, report.Deployment.Unassigned);
    }

    [Fact]
    public void A_capped_table_keeps_the_most_wasteful_rows_of_the_days_shown_and_counts_only_those_days_rows()
    {
        // Last month's rows are the most wasteful and take 4 of the 5 places; this month's most wasteful row takes the last.
        var rows = new List<object>();
        for (var i = 0; i < 4; i++)
        {
            rows.Add(Usage(Contoso, "W" + i, 1000, 0, October));
        }

        for (var i = 0; i < 4; i++)
        {
            rows.Add(Usage(Contoso, "W" + i, 100, i, November));
        }

        var report = Built(rows, tableCap: 5);

        Assert.Equal([100L], report.UsageTable.Select(r => r.LicensesInactive!.Value));
        var table = report.Build(Options).Tables.Single(t => t.Id == "table-usage");
        Assert.Equal(4, table.RowsRead);
        Assert.Single(table.Rows);
        Assert.Contains("The 1 rows with the most waste of 4 rows read", LicenseReportHtml.ToHtml(report.Build(Options)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_holds_the_figures_series_and_tables_as_values_with_unknown_kept_unknown()
    {
        var model = Built([Usage(Contoso, "Exchange", 100, null, November), Usage(Fabrikam, "Teams", 10, 4, November)]).Build(Options);

        Assert.Equal("Report", model.Title);
        Assert.False(model.IsEmpty);
        var figures = model.Figures.ToDictionary(f => f.Label, f => f.Value);
        Assert.Equal(ReportValue.Count(2), figures["Customers"]);
        Assert.Equal(ReportValue.Count(110), figures["Licenses qualified"]);
        Assert.Equal(ReportValue.Count(4), figures["Licenses active"]);
        Assert.Equal(ReportValue.Percent(60.0), figures["Inactive share"]);
        Assert.Equal(1, model.UsageRowsUnknown);
        Assert.Equal(["chart-inactive", "chart-workloads"], model.Charts.Select(c => c.Id));
        var workloads = model.Charts[1];
        Assert.True(workloads.HasPart);
        Assert.Equal([("Exchange", (double?)100, (double?)null), ("Teams", 10, 4)], workloads.Bars.Select(b => (b.Label, b.Value.Current, b.Part.Current)));
        var customers = model.Tables[0];
        Assert.Equal("table-customers", customers.Id);
        Assert.Equal(customers.Columns.Count, customers.Rows[0].Cells.Count);
        Assert.Equal(ReportCell.OfText("Fabrikam"), customers.Rows[0].Cells[0]);
        Assert.Null(customers.Rows[1].Cells[3].Value.Current);
    }
}
