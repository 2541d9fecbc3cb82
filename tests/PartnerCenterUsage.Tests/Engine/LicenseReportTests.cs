using System.Globalization;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Models;
using static PartnerCenterUsage.Tests.Support.PageText;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class LicenseReportTests
{
    private static readonly Guid Contoso = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Fabrikam = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly DateTimeOffset Processed = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
    private static readonly LicenseReportOptions Options = new() { Title = "Report", GeneratedAt = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero) };

    private static CustomerLicenseUsage Usage(Guid? id, string? name, string workload, long? qualified, long? active) => new()
    {
        CustomerId = id,
        CustomerName = name,
        ProductName = "OFFICE 365 E3",
        WorkloadName = workload,
        LicensesQualified = qualified,
        LicensesActive = active,
        ProcessedDateTime = Processed,
    };

    private static CustomerLicenseDeployment Deployment(Guid? id, string? name, string product, long? sold, long? deployed) => new()
    {
        CustomerId = id,
        CustomerName = name,
        ProductName = product,
        LicensesSold = sold,
        LicensesDeployed = deployed,
        ProcessedDateTime = Processed,
    };

    [Fact]
    public void It_sums_known_counts_and_takes_inactive_only_from_rows_that_know_both()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, "Contoso", "Exchange", 100, 60));
        report.Add(Usage(Contoso, "Contoso", "SharePoint", 100, 90));
        report.Add(Usage(Fabrikam, "Fabrikam", "Exchange", 50, null));
        report.Add(Usage(Fabrikam, "Fabrikam", "Teams", null, 5));

        Assert.Equal(2, report.CustomerCount);
        Assert.Equal(250, report.Usage.Qualified);
        Assert.Equal(155, report.Usage.Active);
        Assert.Equal(50, report.Usage.Inactive);
        Assert.Equal(2, report.Usage.UsageRowsUnknown);
        Assert.Equal(25.0, report.Usage.InactivePercent);
        Assert.Equal(new[] { "Contoso", "Fabrikam" }, report.CustomersByInactive.Select(c => c.DisplayName));
        Assert.Null(report.CustomersByInactive.Last().Usage.Inactive);
        Assert.Null(report.CustomersByInactive.Last().Usage.InactivePercent);
        var exchange = report.Workloads.First();
        Assert.Equal(("Exchange", (long?)150, (long?)60, (long?)40), (exchange.Name, exchange.Qualified, exchange.Active, exchange.Inactive));
    }

    [Fact]
    public void It_sums_deployments_per_product_and_available_units()
    {
        var report = new LicenseReportBuilder();
        report.Add(Deployment(Contoso, "Contoso", "M365 BUSINESS PREMIUM", 20, 15));
        report.Add(Deployment(Fabrikam, "Fabrikam", "M365 BUSINESS PREMIUM", 10, 10));
        report.Add(Deployment(Fabrikam, "Fabrikam", "VISIO PLAN 2", 8, 1));
        report.Add(Deployment(Fabrikam, "Fabrikam", "PROJECT PLAN 3", null, 1));
        report.Add(new CustomerSubscribedSku { CustomerId = Contoso, TotalUnits = 30, ConsumedUnits = 25 });
        report.Add(new CustomerSubscribedSku { CustomerId = Contoso, AvailableUnits = 3 });
        report.Add(new CustomerSubscribedSku { CustomerId = Fabrikam });

        Assert.Equal(38, report.Deployment.Sold);
        Assert.Equal(27, report.Deployment.Deployed);
        Assert.Equal(12, report.Deployment.Unassigned);
        Assert.Equal(1, report.Deployment.DeploymentRowsUnknown);
        Assert.Equal(new[] { "VISIO PLAN 2", "M365 BUSINESS PREMIUM", "PROJECT PLAN 3" }, report.ProductsByUnassigned.Select(p => p.Name));
        Assert.Equal(new long?[] { 7, 5, null }, report.ProductsByUnassigned.Select(p => p.Unassigned));
        Assert.Equal(8, report.AvailableUnits);
        Assert.Equal(1, report.AvailableUnitsUnknown);
        Assert.Equal(2, report.CustomerCount);
    }

    [Fact]
    public void It_takes_any_of_the_three_row_types_and_refuses_anything_else()
    {
        var report = new LicenseReportBuilder();

        Assert.True(report.TryAdd(Usage(Contoso, "Contoso", "Exchange", 1, 1)));
        Assert.True(report.TryAdd(Deployment(Contoso, "Contoso", "P", 1, 1)));
        Assert.True(report.TryAdd(new CustomerSubscribedSku { CustomerId = Contoso }));
        Assert.False(report.TryAdd("a string"));
        Assert.False(report.TryAdd(null));
        Assert.Equal((1L, 1L, 1L), (report.UsageRowCount, report.DeploymentRowCount, report.SkuRowCount));
    }

    [Fact]
    public void A_hostile_customer_name_is_text_everywhere_on_the_page()
    {
        const string hostile = "<script>alert(1)</script>";
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, hostile, "<b>Exchange</b>", 10, 2));
        report.Add(Deployment(Contoso, hostile, "\"><img src=x onerror=alert(2)>", 10, 2));
        report.Add(new CustomerSubscribedSku { CustomerId = Contoso, CustomerName = hostile, SkuPartNumber = "<i>SKU</i>", TotalUnits = 3, ConsumedUnits = 1 });

        var html = LicenseReportHtml.ToHtml(report.Build(new LicenseReportOptions { Title = "<title>x</title>", GeneratedAt = Options.GeneratedAt }));

        // The page's one script is its own (the table sorter), after the last table, and its one data block its
        // figures, whose JSON escapes every '<', '>' and '&': no row wrote another element.
        Assert.Equal(2, CountOf(html.ToUpperInvariant(), "<SCRIPT"));
        Assert.Equal(1, CountOf(html, "<script type=\"application/json\" id=\"license-report-data\">\n"));
        var data = Between(html, "<script type=\"application/json\" id=\"license-report-data\">", "</script>");
        Assert.DoesNotContain("<", data, StringComparison.Ordinal);
        Assert.DoesNotContain(">", data, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E", data, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<script>", StringComparison.Ordinal) > html.LastIndexOf("</table>", StringComparison.Ordinal));
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<title>x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_gives_a_page_that_says_there_is_no_data()
    {
        var html = LicenseReportHtml.ToHtml(new LicenseReportBuilder().Build(Options));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("There is no data", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.Contains("Processed: unknown.", html, StringComparison.Ordinal);
        Assert.Contains("</html>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, "Contoso", "Exchange", 10, 2));
        report.Add(Deployment(Contoso, "Contoso", "P", 10, 2));

        var html = LicenseReportHtml.ToHtml(report.Build(Options));

        // Its own style and script only, allowed by hash; nothing else may load or run.
        var policy = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.Matches("^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; script-src 'sha256-[A-Za-z0-9+/=]{44}'$", policy);
        Assert.Equal(Hash(Between(html, "<style>", "</style>")), Regex.Match(policy, "style-src '([^']*)'").Groups[1].Value);
        Assert.Equal(Hash(Between(html, "<script>", "</script>")), Regex.Match(policy, "script-src '([^']*)'").Groups[1].Value);
        // The other script element is a data block (the figures), which no browser runs: nothing for the policy to allow.
        Assert.Equal(2, CountOf(html, "<script"));
        Assert.Equal(1, CountOf(html, "<script>"));
        Assert.Equal(1, CountOf(html, "<script type=\"application/json\" id=\"license-report-data\">"));

        // A browser hashes them with LF line ends, whatever a Windows checkout made of the source.
        Assert.DoesNotContain("\r", Between(html, "<style>", "</style>"), StringComparison.Ordinal);
        Assert.DoesNotContain("\r", Between(html, "<script>", "</script>"), StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal).Replace("http-equiv", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_headline_figures_and_the_chart_labels_are_on_the_page_in_the_invariant_culture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var report = new LicenseReportBuilder();
            report.Add(Usage(Contoso, "Contoso", "Exchange", 12000, 3000));
            report.Add(Usage(Fabrikam, "Fabrikam", "SharePoint", 1000, 999));
            report.Add(Deployment(Contoso, "Contoso", "VISIO PLAN 2", 1500, 500));

            var html = LicenseReportHtml.ToHtml(report.Build(Options));

            Assert.Contains("<span class=\"value\">13,000</span>Licenses qualified", html, StringComparison.Ordinal);
            Assert.Contains("<span class=\"value\">9,001</span>Licenses inactive", html, StringComparison.Ordinal);
            Assert.Contains("<span class=\"value\">69.2 %</span>Inactive share", html, StringComparison.Ordinal);
            Assert.Contains("<span class=\"value\">1,000</span>Licenses unassigned", html, StringComparison.Ordinal);
            Assert.Contains("Made 2026-11-30 07:00 UTC.", html, StringComparison.Ordinal);
            Assert.Contains("Processed: 2026-11-29 06:00 UTC.", html, StringComparison.Ordinal);

            var inactiveChart = Section(html, "chart-inactive");
            Assert.Contains("<svg", inactiveChart, StringComparison.Ordinal);
            Assert.Contains(">Contoso</text>", inactiveChart, StringComparison.Ordinal);
            Assert.Contains(">9,000</text>", inactiveChart, StringComparison.Ordinal);
            Assert.Contains(">Fabrikam</text>", inactiveChart, StringComparison.Ordinal);
            Assert.Contains(">3,000 of 12,000 active</text>", Section(html, "chart-workloads"), StringComparison.Ordinal);
            Assert.Contains(">VISIO PLAN 2</text>", Section(html, "chart-unassigned"), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Unknown_values_are_never_written_as_zero()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, "Contoso", "Exchange", null, null));
        report.Add(new CustomerSubscribedSku { CustomerId = Contoso });

        var html = LicenseReportHtml.ToHtml(report.Build(Options));

        Assert.Contains("<span class=\"value\">unknown</span>Licenses qualified", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">unknown</span>Licenses active", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">unknown</span>Licenses inactive", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">unknown</span>Inactive share", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", Section(html, "chart-inactive"), StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">unknown</span>Units available", html, StringComparison.Ordinal);
        var row = Section(html, "table-usage");
        Assert.Contains("<td>Contoso</td><td>OFFICE 365 E3</td><td>Exchange</td><td class=\"n\" data-v=\"\"></td><td class=\"n\" data-v=\"\"></td><td class=\"n\" data-v=\"\"></td><td class=\"n\" data-v=\"\"></td>", row, StringComparison.Ordinal);
        Assert.Contains("1 usage rows lack a qualified or active count", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_whose_active_licenses_are_unknown_is_charted_with_unknown_not_zero()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, "Contoso", "Teams", 40, null));

        var chart = Section(LicenseReportHtml.ToHtml(report.Build(Options)), "chart-workloads");

        Assert.Contains(">unknown of 40 active</text>", chart, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(chart, "<rect"));
    }

    [Fact]
    public void A_large_portfolio_keeps_only_the_capped_rows_with_the_most_waste_and_counts_every_row()
    {
        var report = new LicenseReportBuilder(tableCap: 50);
        for (var i = 0; i < 100_000; i++)
        {
            report.Add(new CustomerLicenseUsage
            {
                CustomerId = new Guid(i, 0, 0, new byte[8]),
                CustomerName = "Customer " + i.ToString(CultureInfo.InvariantCulture),
                WorkloadName = "Exchange",
                LicensesQualified = 100_000,
                LicensesActive = 100_000 - i,
            });
        }

        Assert.Equal(100_000, report.UsageRowCount);
        Assert.Equal(50, report.UsageTable.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(k => (long?)(99_999 - k)), report.UsageTable.Select(r => r.LicensesInactive));
        Assert.Equal(100_000L * 99_999 / 2, report.Usage.Inactive!.Value);
        Assert.Equal(100_000, report.CustomerCount);

        var html = LicenseReportHtml.ToHtml(report.Build(new LicenseReportOptions { Top = 5, GeneratedAt = Options.GeneratedAt }));
        Assert.Contains("The 50 rows with the most waste of 100,000 rows read", html, StringComparison.Ordinal);
        Assert.Equal(50, CountOf(Section(html, "table-usage"), "<tr><td>"));
        Assert.Equal(5, CountOf(Section(html, "chart-inactive"), "<rect"));
        Assert.Contains("Top 5 customers by inactive licenses", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_of_unknown_waste_rank_last_and_equal_waste_keeps_the_order_read()
    {
        var report = new LicenseReportBuilder(tableCap: 3);
        report.Add(Usage(Contoso, "A", "Exchange", null, 1));
        report.Add(Usage(Contoso, "B", "Exchange", 10, 5));
        report.Add(Usage(Contoso, "C", "Exchange", 10, 5));
        report.Add(Usage(Contoso, "D", "Exchange", 10, 0));
        report.Add(Usage(Contoso, "E", "Exchange", 10, 5));

        Assert.Equal(new[] { "D", "B", "C" }, report.UsageTable.Select(r => r.CustomerName));
    }

    [Fact]
    public void It_lists_the_newest_processed_dates_and_counts_the_others()
    {
        var report = new LicenseReportBuilder();
        for (var day = 1; day <= LicenseReportBuilder.ProcessedDateCap + 2; day++)
        {
            var row = Usage(Contoso, "Contoso", "Exchange", 1, 1);
            row.ProcessedDateTime = new DateTimeOffset(2026, 10, day, 0, 0, 0, TimeSpan.Zero);
            report.Add(row);
            report.Add(row);
        }

        Assert.Equal(LicenseReportBuilder.ProcessedDateCap, report.ProcessedDates.Count);
        Assert.Equal(3, report.ProcessedDates.First().Day);
        Assert.Equal(2, report.ProcessedDatesNotListed);
        Assert.Contains("(and 2 older)", LicenseReportHtml.ToHtml(report.Build(Options)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_not_listed_is_counted_once_however_often_it_comes_back_and_dates_are_told_apart_to_the_minute()
    {
        var report = new LicenseReportBuilder();
        DateTimeOffset Day(int day, int second = 0) => new(2026, 10, day, 6, 0, second, TimeSpan.Zero);
        void Add(DateTimeOffset processed)
        {
            var row = Usage(Contoso, "Contoso", "Exchange", 1, 1);
            row.ProcessedDateTime = processed;
            report.Add(row);
        }

        // Rows come customer by customer, not date by date: the oldest date comes back after it was left out.
        for (var day = 1; day <= LicenseReportBuilder.ProcessedDateCap + 1; day++)
        {
            Add(Day(day));
        }

        for (var i = 0; i < 50; i++)
        {
            Add(Day(1, second: i % 60));
        }

        Assert.Equal(1, report.ProcessedDatesNotListed);
        Assert.Equal(Day(2), report.ProcessedDates.First());
        Assert.Contains("(and 1 older)", LicenseReportHtml.ToHtml(report.Build(Options)), StringComparison.Ordinal);
    }

    [Fact]
    public void More_deployed_than_sold_or_active_than_qualified_does_not_cancel_another_row_s_waste()
    {
        var report = new LicenseReportBuilder();
        report.Add(Deployment(Contoso, "Contoso", "X", sold: 10, deployed: 15));
        report.Add(Deployment(Contoso, "Contoso", "Y", sold: 10, deployed: 5));
        report.Add(Usage(Contoso, "Contoso", "Exchange", qualified: 10, active: 12));
        report.Add(Usage(Contoso, "Contoso", "Teams", qualified: 10, active: 4));

        Assert.Equal(5, report.Deployment.Unassigned);
        Assert.Equal(6, report.Usage.Inactive);
        var customer = Assert.Single(report.CustomersByWaste);
        Assert.Equal(5, customer.Deployment.Unassigned);
        Assert.Equal(6, customer.Usage.Inactive);
        Assert.Equal(30.0, report.Usage.InactivePercent);
    }

    [Fact]
    public void A_row_without_the_customer_s_id_is_that_customer_s_when_it_names_it_and_rows_with_neither_are_one_unknown_customer()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(null, "Contoso", "Exchange", 10, 2));
        report.Add(Usage(Contoso, "Contoso", "Teams", 10, 4));
        report.Add(Deployment(null, "contoso", "P", 10, 5));
        report.Add(Usage(Fabrikam, "Fabrikam", "Exchange", 10, 9));
        report.Add(Usage(null, null, "Exchange", 1, 0));
        report.Add(Deployment(null, string.Empty, "P", 1, 0));

        Assert.Equal(3, report.CustomerCount);
        var contoso = report.CustomersByWaste.First();
        Assert.Equal(Contoso, contoso.CustomerId);
        Assert.Equal(14, contoso.Usage.Inactive);
        Assert.Equal(5, contoso.Deployment.Unassigned);
        Assert.Single(report.CustomersByWaste, c => c.DisplayName == "unknown");
    }

    [Fact]
    public void Two_customers_of_one_name_and_two_ids_stay_two()
    {
        var report = new LicenseReportBuilder();
        report.Add(Usage(Contoso, "Contoso", "Exchange", 10, 2));
        report.Add(Usage(Fabrikam, "Contoso", "Exchange", 10, 2));

        Assert.Equal(2, report.CustomerCount);
    }

    [Fact]
    public void Every_customer_is_tabled_the_most_inactive_first_and_a_figure_nobody_sent_is_an_empty_cell()
    {
        var report = new LicenseReportBuilder(tableCap: 1);
        report.Add(Usage(Contoso, "Contoso", "Exchange", 10, 8));
        report.Add(Usage(Fabrikam, "Fabrikam", "Exchange", 50, 10));
        report.Add(Deployment(Fabrikam, "Fabrikam", "P", 40, 30));
        var northwind = Guid.Parse("33333333-3333-3333-3333-333333333333");
        report.Add(new CustomerSubscribedSku { CustomerId = northwind, CustomerName = "Northwind", TotalUnits = 5, ConsumedUnits = 1, AvailableUnits = 4 });

        var table = Section(LicenseReportHtml.ToHtml(report.Build(Options)), "table-customers");

        // The row tables keep 1 row here; the customers' table keeps them all.
        var rows = Regex.Matches(table, "<tr><td>([^<]*)</td>(.*?)</tr>").Select(m => (Name: m.Groups[1].Value, Cells: m.Groups[2].Value)).ToList();
        Assert.Equal(["Fabrikam", "Contoso", "Northwind"], rows.Select(r => r.Name));
        Assert.Equal(
            ["50", "10", "40", "80", "40", "30", "10", ""],
            Regex.Matches(rows[0].Cells, "data-v=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(
            ["", "", "", "", "", "", "", "4"],
            Regex.Matches(rows[2].Cells, "data-v=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.DoesNotContain(">0<", rows[2].Cells, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_chart_label_is_shortened_to_fit_and_whole_in_its_tooltip()
    {
        const string product = "EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE";
        var report = new LicenseReportBuilder();
        report.Add(Deployment(Contoso, "Contoso", product, 10, 2));

        var chart = Section(LicenseReportHtml.ToHtml(report.Build(Options)), "chart-unassigned");

        Assert.Contains("<title>" + product + "</title>", chart, StringComparison.Ordinal);
        Assert.Contains(">" + product[..31] + "…</text>", chart, StringComparison.Ordinal);
    }

    private static string Section(string html, string id)
    {
        var start = html.IndexOf("<section id=\"" + id + "\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "No section " + id);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html.Substring(start, end - start);
    }
}
