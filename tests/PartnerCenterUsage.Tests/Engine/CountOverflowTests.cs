using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// Counts near the largest a long holds (9,223,372,036,854,775,807), as a hostile or broken service may send them: every
/// sum and difference the report makes is exact up to it, and past it unknown and said to be too large, never wrapped to
/// a count of the other sign and never an overflow that fails the command.
/// </summary>
public sealed class CountOverflowTests
{
    private const long Largest = long.MaxValue;
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LicenseReportOptions Options = new() { Title = "Report", GeneratedAt = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero) };

    private static CustomerLicenseUsage Usage(string customer, string workload, long? qualified, long? active, DateTimeOffset processed) => new()
    {
        CustomerId = customer == "Contoso" ? Guid.Parse("11111111-1111-1111-1111-111111111111") : Guid.Parse("22222222-2222-2222-2222-222222222222"),
        CustomerName = customer,
        ProductName = "OFFICE 365 E3",
        WorkloadName = workload,
        LicensesQualified = qualified,
        LicensesActive = active,
        ProcessedDateTime = processed,
    };

    private static LicenseReportBuilder Built(params object[] rows)
    {
        var report = new LicenseReportBuilder();
        foreach (var row in rows)
        {
            Assert.True(report.TryAdd(row));
        }

        return report;
    }

    [Fact]
    public void Sums_and_differences_past_a_long_are_unknown_and_up_to_it_exact()
    {
        Assert.Equal(Largest, Counts.Add(Largest - 1, 1));
        Assert.Null(Counts.Add(Largest, 1));
        Assert.Null(Counts.Add(long.MinValue, -1));
        Assert.Equal(long.MinValue, Counts.Add(long.MinValue + 1, -1));
        Assert.Null(Counts.Add(null, 1));
        Assert.Equal(Largest, Counts.Subtract(Largest - 1, -1));
        Assert.Null(Counts.Subtract(Largest, -1));
        Assert.Null(Counts.Subtract(long.MinValue, 1));
        Assert.Null(Counts.Negate(long.MinValue));
        Assert.Equal(-Largest, Counts.Negate(Largest));
    }

    [Fact]
    public void A_sum_past_the_largest_count_stays_unknown_whatever_comes_after_it()
    {
        // Before: 2 × (2^63 − 2) wrapped to −4, and a third row made it a plausible 2^63 − 6.
        var report = Built(
            Usage("Contoso", "Exchange", Largest - 1, 0, November),
            Usage("Contoso", "Teams", Largest - 1, 0, November),
            Usage("Contoso", "SharePoint", Largest - 1, 0, November),
            Usage("Fabrikam", "Exchange", 10, 4, November));

        Assert.Null(report.Usage.Qualified);
        Assert.Null(report.Usage.Inactive);
        Assert.Null(report.Usage.InactivePercent);
        Assert.Equal(4, report.Usage.Active);
        Assert.Equal(4, report.Usage.Rows);
        Assert.Equal(0, report.Usage.UsageRowsUnknown);
        var page = LicenseReportHtml.ToHtml(report.Build(Options));
        Assert.Contains("<span class=\"value\">unknown</span>Licenses qualified", page, StringComparison.Ordinal);
        Assert.Contains("Too large to count: sums of licenses qualified, licenses inactive, the inactive share went past 9,223,372,036,854,775,807", page, StringComparison.Ordinal);
        // Each workload's sum fits: Exchange's is Contoso's 2^63 − 2 and Fabrikam's 10, which does not.
        Assert.Equal(
            [null, Largest - 1, Largest - 1],
            report.Workloads.Select(w => w.Qualified).OrderBy(q => q ?? long.MinValue));
    }

    [Fact]
    public void Counts_up_to_the_largest_long_are_shown_exactly_not_rounded_to_a_double()
    {
        var report = Built(Usage("Contoso", "Exchange", Largest / 2, 0, November), Usage("Contoso", "Teams", (Largest / 2) + 1, 1, November));

        var page = LicenseReportHtml.ToHtml(report.Build(Options));

        Assert.Equal(Largest, report.Usage.Qualified);
        Assert.Contains("<span class=\"value\">9,223,372,036,854,775,807</span>Licenses qualified", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">9,223,372,036,854,775,806</span>Licenses inactive", page, StringComparison.Ordinal);
        Assert.Contains("data-v=\"9223372036854775806\"", page, StringComparison.Ordinal);
        Assert.Equal(Largest - 1, ReportValue.Count(Largest - 1).CurrentCount);
        Assert.Equal(1, ReportValue.Count(Largest, Largest - 1).Change);
        Assert.Null(ReportValue.Count(Largest, -1).Change);
    }

    [Fact]
    public void A_comparison_whose_sums_or_changes_pass_the_largest_long_says_they_are_too_large_and_does_not_fail()
    {
        // Both customers grow by 2^63 − 2: each change fits, their sum does not (before: an OverflowException from Sum).
        var october = Built(Usage("Contoso", "Exchange", 0, 0, October), Usage("Fabrikam", "Exchange", 0, 0, October)).Snapshot("October");
        var november = Built(Usage("Contoso", "Exchange", Largest - 1, 0, November), Usage("Fabrikam", "Exchange", Largest - 1, 0, November));

        var report = november.Build(new LicenseReportOptions { Title = "November", GeneratedAt = Options.GeneratedAt, Baselines = [october] });

        var section = report.Comparison!;
        var qualified = section.Headline.Rows.Single(r => r.Cells[0].Text == "Licenses qualified");
        Assert.Equal(0, qualified.Cells[1].Value.CurrentCount);
        Assert.Null(qualified.Cells[2].Value.Current);
        Assert.Null(qualified.Cells[3].Value.Current);
        Assert.Null(qualified.Cells[4].Value.Current);
        Assert.Contains(section.NotCompared, n => n.StartsWith("Too large to count: sums or changes of licenses qualified, licenses inactive", StringComparison.Ordinal));
        Assert.DoesNotContain("\u2212", LicenseReportHtml.ToHtml(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_GroupBy_sum_of_rows_of_several_requests_past_the_largest_long_is_unknown_not_wrapped()
    {
        // 41 customers are two requests, whose rows of one product are merged into one here.
        var merger = new CommercialPlan(CommercialReport.Usage)
            .ForCustomers(Enumerable.Range(1, 41).Select(i => new Guid(i, 0, 0, new byte[8])))
            .GroupOn(CommercialField.ProductName)
            .NewMerger();
        var first = new CustomerLicenseUsage { ProductName = "E3", LicensesQualified = Largest - 1, LicensesActive = 1 };

        merger.Take(first);
        merger.Take(new CustomerLicenseUsage { ProductName = "E3", LicensesQualified = Largest - 1, LicensesActive = 1 });

        Assert.Same(first, Assert.Single(merger.Merged));
        Assert.Null(first.LicensesQualified);
        Assert.Equal(2, first.LicensesActive);
        Assert.Null(first.LicensesInactive);
    }

    [Fact]
    public void Seats_to_cut_past_the_largest_long_are_unknown_and_said_to_be_too_large()
    {
        var asOf = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        CustomerLicenseReduction Row(string product) => new()
        {
            CustomerName = "Contoso",
            ProductName = product,
            Match = LicenseMatch.Matched,
            CuttableNow = Largest - 1,
            ReturnableUntil = asOf.AddDays(3),
            CuttableAtRenewal = 0,
            AsOf = asOf,
        };

        var section = Built(Row("A"), Row("B")).Build(Options).Renewal!;

        Assert.Null(section.Groups[0].Seats);
        Assert.All(section.Figures, f => Assert.Null(f.Value.Current));
        var page = LicenseReportHtml.ToHtml(Built(Row("A"), Row("B")).Build(Options));
        Assert.Contains("Too large to count: sums of seats went past 9,223,372,036,854,775,807", page, StringComparison.Ordinal);
    }
}
