using PartnerCenterUsage.Engine.Reports.Model;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A section "Since the baseline" built by hand, as the comparison engine is meant to fill it (its ids, columns and
/// kinds of value), so that the page's rendering is tested without the engine: the report of 2026-11-01 compared with
/// october.html of 2026-10-01, with changes up, down, none and unknown, a chart of both directions, three trends (one
/// flat, one with an unknown point) and a capped table. Every text can carry <c>mark</c> (hostile text, for example).
/// </summary>
public static class ComparisonSample
{
    public static readonly DateTimeOffset BaselineAsOf = new(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CurrentAsOf = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    public static readonly string[] HeadlineColumns = ["Figure", "Then", "Now", "Change", "Customers in both", "New customers", "Gone customers"];

    /// <summary>The chart's bars: label and change (null: unknown).</summary>
    public static readonly (string Label, long? Change)[] Bars = [("Contoso", 120), ("Fabrikam", -45), ("Northwind", 30), ("Tailspin", -5), ("Woodgrove", null)];

    public static ComparisonSection Section(string mark = "", string baselineLabel = "october.html", IReadOnlyList<TrendSeries>? trends = null)
    {
        ReportRow Row(params ReportCell[] cells) => new(cells);
        ReportCell Text(string text) => ReportCell.OfText(text + mark);
        ReportCell Count(long? value) => ReportCell.OfValue(ReportValue.Count(value));
        ReportCell Change(long? value) => ReportCell.OfValue(ReportValue.CountChange(value));
        ReportCell Points(double? value) => ReportCell.OfValue(ReportValue.PercentChange(value));

        var headline = new ReportTable("table-headline-changes", "Headline figures then and now" + mark, HeadlineColumns.Select(c => c + mark).ToList(),
            [
                Row(Text("Customers"), Count(40), Count(42), Change(2), Change(0), Change(3), Change(-1)),
                Row(Text("Licenses inactive"), Count(1200), Count(1320), Change(120), Change(100), Change(50), Change(-30)),
                Row(Text("Inactive share"), ReportCell.OfValue(ReportValue.Percent(20.0)), ReportCell.OfValue(ReportValue.Percent(21.5)), Points(1.5), Points(1.8), Points(-0.3), Points(-0.04)),
                Row(Text("Licenses unassigned"), Count(null), Count(80), Change(null), Change(null), Change(5), Change(null)),
            ],
            4);

        var tables = new List<ReportTable>
        {
            new("table-new-customers", "New customers" + mark, ["Customer", "Qualified", "Inactive", "Unassigned"],
                [Row(Text("Adatum"), Count(100), Count(50), Count(null)), Row(Text("Litware"), Count(20), Count(0), Count(3))], 2),
            new("table-gone-customers", "Gone customers" + mark, ["Customer", "Qualified", "Inactive", "Unassigned"],
                [Row(Text("Proseware"), Count(60), Count(30), Count(2))], 1),
            new("table-inactive-up", "The largest increases of inactive licenses" + mark, ["Customer", "Then", "Now", "Change"],
                [Row(Text("Contoso"), Count(100), Count(220), Change(120)), Row(Text("Northwind"), Count(10), Count(40), Change(30))], 2),
            new("table-inactive-down", "The largest decreases of inactive licenses" + mark, ["Customer", "Then", "Now", "Change"],
                [Row(Text("Fabrikam"), Count(90), Count(45), Change(-45)), Row(Text("Tailspin"), Count(8), Count(3), Change(-5))], 5),
            new("table-unassigned-up", "The largest increases of unassigned licenses" + mark, ["Customer", "Then", "Now", "Change"], [], 0),
            new("table-workloads-compared", "Usage by workload then and now" + mark, ["Workload", "Active then", "Active now", "Change", "Active share change"],
                [Row(Text("Exchange"), Count(900), Count(950), Change(50), Points(2.25)), Row(Text("Teams"), Count(400), Count(380), Change(-20), Points(-1.0))], 2),
        };

        var chart = new ChartSeries(
            "chart-inactive-change",
            "Top 5 changes of inactive licenses since 2026-10-01" + mark,
            Bars.Select(b => new ChartBar(b.Label + mark, ReportValue.CountChange(b.Change))).ToList(),
            diverging: true);

        return new ComparisonSection(
            baselineLabel + mark,
            BaselineAsOf,
            CurrentAsOf,
            headline,
            tables,
            chart,
            trends ?? Trends(mark),
            ["Subscribed SKU rows are only in this report: their units are not compared." + mark]);
    }

    /// <summary>Licenses inactive rising over three reports; the inactive share with an unknown point; customers flat.</summary>
    public static IReadOnlyList<TrendSeries> Trends(string mark = "")
    {
        TrendPoint Point(string day, ReportValue value, bool current = false) => new(day + mark, DateTimeOffset.Parse(day + "T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture), value, current);
        return
        [
            new("trend-licenses-inactive", "Licenses inactive" + mark,
                [Point("2026-09-01", ReportValue.Count(1100)), Point("2026-10-01", ReportValue.Count(1200)), Point("2026-11-01", ReportValue.Count(1320), current: true)]),
            new("trend-inactive-share", "Inactive share" + mark,
                [Point("2026-07-01", ReportValue.Percent(19.0)), Point("2026-08-01", ReportValue.Percent(19.5)), Point("2026-09-01", ReportValue.Percent(null)),
                 Point("2026-10-01", ReportValue.Percent(20.0)), Point("2026-11-01", ReportValue.Percent(21.5), current: true)]),
            new("trend-customers", "Customers" + mark,
                [Point("2026-09-01", ReportValue.Count(40)), Point("2026-10-01", ReportValue.Count(40)), Point("2026-11-01", ReportValue.Count(40), current: true)]),
        ];
    }
}
