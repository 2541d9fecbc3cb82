using System.Globalization;
using System.Text.RegularExpressions;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Tests.Support;
using static PartnerCenterUsage.Tests.Support.PageText;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The page's section "Since the baseline", rendered from a comparison built by hand (<see cref="ComparisonSample"/>):
/// how changes are written, where the section goes, that its texts are text, the diverging chart's sides, the trends'
/// gaps, and that the page stays self-contained.
/// </summary>
public sealed class ComparisonHtmlTests
{
    private const string Minus = "\u2212";
    private static readonly DateTimeOffset Made = new(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);

    // A report as the builder makes one (figures, a chart, a table, the renewal section), with the comparison given.
    private static LicenseReport Report(ComparisonSection? comparison, params ReportFigure[] figures) =>
        new("Report", Made, [ComparisonSample.CurrentAsOf], 0,
            figures.Length > 0 ? figures : [new ReportFigure("Licenses inactive", ReportValue.Count(1320))],
            [],
            [new ChartSeries("chart-inactive", "Top customers by inactive licenses", [new ChartBar("Contoso", ReportValue.Count(220))])],
            [new ReportTable("table-customers", "Customers", ["Customer", "Inactive"], [new ReportRow([ReportCell.OfText("Contoso"), ReportCell.OfValue(ReportValue.Count(220))])], 1)])
        {
            Renewal = new RenewalSection(ComparisonSample.CurrentAsOf, [], []),
            Comparison = comparison,
        };

    [Fact]
    public void Changes_carry_their_sign_with_a_minus_sign_and_data_v_keeps_the_raw_signed_number()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var html = LicenseReportHtml.ToHtml(Report(ComparisonSample.Section()));
            var headline = Section(html, "table-headline-changes");

            Assert.Contains("<tr><th scope=\"row\">Licenses inactive</th><td class=\"n\" data-v=\"1200\">1,200</td><td class=\"n\" data-v=\"1320\">1,320</td>"
                + "<td class=\"n change up\" data-v=\"120\">+120</td><td class=\"n change up\" data-v=\"100\">+100</td>"
                + "<td class=\"n change up\" data-v=\"50\">+50</td><td class=\"n change down\" data-v=\"-30\">" + Minus + "30</td></tr>", headline, StringComparison.Ordinal);
            Assert.Contains("<td class=\"n change\" data-v=\"0\">0</td>", headline, StringComparison.Ordinal);
            Assert.Contains("<td class=\"n change up\" data-v=\"1.5\">+1.5 pts</td>", headline, StringComparison.Ordinal);
            Assert.Contains("<td class=\"n change down\" data-v=\"-0.3\">" + Minus + "0.3 pts</td>", headline, StringComparison.Ordinal);

            // A change too small to show is "0.0 pts", neither up nor down; its raw value still sorts it.
            Assert.Contains("<td class=\"n change\" data-v=\"-0.04\">0.0 pts</td>", headline, StringComparison.Ordinal);

            // Unknown is an empty cell, never 0: the unassigned licenses of then, and so their change.
            Assert.Contains("<tr><th scope=\"row\">Licenses unassigned</th><td class=\"n\" data-v=\"\"></td><td class=\"n\" data-v=\"80\">80</td><td class=\"n change\" data-v=\"\"></td>", headline, StringComparison.Ordinal);
            Assert.Contains("<td class=\"n change up\" data-v=\"2.25\">+2.3 pts</td>", Section(html, "table-workloads-compared"), StringComparison.Ordinal);
            Assert.DoesNotContain("-", Regex.Replace(headline[headline.IndexOf("<table", StringComparison.Ordinal)..], "data-v=\"[^\"]*\"", string.Empty), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_headline_figure_that_is_a_change_shows_its_sign_or_unknown_never_0()
    {
        var html = LicenseReportHtml.ToHtml(Report(
            null,
            new ReportFigure("Inactive since October", ReportValue.CountChange(-1234)),
            new ReportFigure("Share since October", ReportValue.PercentChange(0.5)),
            new ReportFigure("Unassigned since October", ReportValue.CountChange(null)),
            new ReportFigure("Flat", ReportValue.CountChange(0))));

        Assert.Contains("<span class=\"value change down\">" + Minus + "1,234</span>Inactive since October", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value change up\">+0.5 pts</span>Share since October", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value change\">unknown</span>Unassigned since October", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value change\">0</span>Flat", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_is_there_only_with_a_comparison_right_after_the_headline_figures_and_before_the_renewal_section_and_the_charts()
    {
        Assert.DoesNotContain("since-baseline", LicenseReportHtml.ToHtml(Report(null)), StringComparison.Ordinal);

        var html = LicenseReportHtml.ToHtml(Report(ComparisonSample.Section()));

        var at = html.IndexOf("<section id=\"since-baseline\" class=\"comparison\">", StringComparison.Ordinal);
        Assert.True(at > html.IndexOf("<section id=\"figures\">", StringComparison.Ordinal));
        Assert.True(at < html.IndexOf("<section id=\"act-before-renewal\">", StringComparison.Ordinal));
        Assert.True(at < html.IndexOf("<section id=\"chart-inactive\"", StringComparison.Ordinal));
        var section = Whole(html, "since-baseline");
        Assert.Contains("<h2>Since 2026-10-01</h2>", section, StringComparison.Ordinal);
        Assert.Contains("This report&#39;s figures of 2026-11-01 compared with those of 2026-10-01 in october.html.", section, StringComparison.Ordinal);

        // In order: the headline table, what was not compared, the chart, the trends, then the tables.
        string[] order =
        [
            "id=\"table-headline-changes\"", "Subscribed SKU rows are only in this report", "id=\"chart-inactive-change\"", "id=\"trends\"",
            "id=\"trend-licenses-inactive\"", "id=\"table-new-customers\"", "id=\"table-gone-customers\"", "id=\"table-inactive-up\"",
            "id=\"table-inactive-down\"", "id=\"table-unassigned-up\"", "id=\"table-workloads-compared\"",
        ];
        var positions = order.Select(o => section.IndexOf(o, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("<p class=\"note\">Subscribed SKU rows are only in this report: their units are not compared.</p>", section, StringComparison.Ordinal);

        // The headline table keeps its order; the others sort; a capped one says so; an empty one says "None.".
        Assert.Contains("<table class=\"changes\">", Section(html, "table-headline-changes"), StringComparison.Ordinal);
        Assert.Contains("<table class=\"sortable\">", Section(html, "table-inactive-up"), StringComparison.Ordinal);
        Assert.Contains("The first 2 of 5 rows; the headline table above counts them all.", Section(html, "table-inactive-down"), StringComparison.Ordinal);
        Assert.DoesNotContain("The first", Section(html, "table-inactive-up"), StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">None.</p>", Section(html, "table-unassigned-up"), StringComparison.Ordinal);
        Assert.Equal(5, CountOf(section, "<table class=\"sortable\">"));
    }

    [Fact]
    public void A_baseline_of_unknown_day_says_so_and_the_same_report_makes_the_same_page()
    {
        var known = ComparisonSample.Section();
        var undated = new ComparisonSection("the rows given", null, ComparisonSample.CurrentAsOf, known.Headline, known.Tables, known.ChangeChart, known.Trends, known.NotCompared);

        var html = LicenseReportHtml.ToHtml(Report(undated));

        Assert.Contains("<h2>Since the baseline</h2>", html, StringComparison.Ordinal);
        Assert.Contains("compared with those of unknown in the rows given.", html, StringComparison.Ordinal);
        Assert.Equal(html, LicenseReportHtml.ToHtml(Report(undated)));
    }

    [Fact]
    public void Hostile_text_in_the_baseline_s_name_labels_notes_and_trends_is_text()
    {
        const string hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'&";
        var html = LicenseReportHtml.ToHtml(Report(ComparisonSample.Section(hostile)));

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, CountOf(html, "<script>"));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        const string encoded = "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;";
        var section = Whole(html, "since-baseline");

        // The baseline's name, the headline's figure, column and title, the note, a bar, a trend's title and point, a table.
        Assert.Contains("in october.html" + encoded + ".", section, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Licenses inactive" + encoded + "</th>", section, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Gone customers" + encoded + "</th>", section, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">Subscribed SKU rows are only in this report: their units are not compared." + encoded + "</p>", section, StringComparison.Ordinal);
        Assert.Contains("<title>Contoso" + encoded + ": +120</title>", section, StringComparison.Ordinal);
        Assert.Contains("<figcaption>Inactive share" + encoded + "</figcaption>", section, StringComparison.Ordinal);
        Assert.Contains(">2026-11-01" + encoded + "</text>", section, StringComparison.Ordinal);
        Assert.Contains("<td>Adatum" + encoded + "</td>", section, StringComparison.Ordinal);

        // In an attribute too (the chart's and the trends' aria-label).
        Assert.Contains("aria-label=\"Inactive share&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;'&amp;\"", section, StringComparison.Ordinal);
    }

    [Fact]
    public void The_diverging_chart_draws_increases_right_of_the_middle_line_and_decreases_left_with_their_value_beside_them()
    {
        var chart = Section(LicenseReportHtml.ToHtml(Report(ComparisonSample.Section())), "chart-inactive-change");

        var axis = Regex.Match(chart, "<line class=\"axis\" x1=\"(\\d+)\" y1=\"0\" x2=\"(\\d+)\"");
        Assert.True(axis.Success, chart);
        var middle = int.Parse(axis.Groups[1].Value, CultureInfo.InvariantCulture);
        var bars = Regex.Matches(chart, "<g class=\"(\\w+)\"><title>[^<]*</title>\n<text[^>]*>([^<]*)</text>\n(?:<rect class=\"(\\w+)\" x=\"(\\d+)\" y=\"\\d+\" width=\"(\\d+)\"[^>]*/>\n)?<text x=\"(\\d+)\" y=\"\\d+\"( text-anchor=\"end\")?>([^<]*)</text>")
            .Select(m => (Group: m.Groups[1].Value, Label: m.Groups[2].Value, Rect: m.Groups[3].Value, X: Int(m.Groups[4].Value), Width: Int(m.Groups[5].Value), TextX: Int(m.Groups[6].Value), End: m.Groups[7].Success, Value: m.Groups[8].Value))
            .ToList();

        Assert.Equal(["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove"], bars.Select(b => b.Label));
        Assert.Equal(["+120", Minus + "45", "+30", Minus + "5", "unknown"], bars.Select(b => b.Value));
        Assert.Equal(["up", "down", "up", "down", "same"], bars.Select(b => b.Group));

        // Scaled by the largest change either way: +120 fills its half (190 pixels), −45 takes 71 of the other.
        var contoso = bars[0];
        Assert.Equal(("up", middle, 190), (contoso.Rect, contoso.X, contoso.Width));
        Assert.True(contoso.TextX > middle + contoso.Width && !contoso.End);
        var fabrikam = bars[1];
        Assert.Equal(("down", middle - 71, 71), (fabrikam.Rect, fabrikam.X, fabrikam.Width));
        Assert.True(fabrikam.TextX < fabrikam.X && fabrikam.End);
        Assert.All(bars.Where(b => b.Group == "up"), b => Assert.True(b.X == middle && b.TextX > middle));
        Assert.All(bars.Where(b => b.Group == "down"), b => Assert.True(b.X + b.Width == middle && b.TextX < b.X));

        // An unknown change has no bar, and says so.
        Assert.Equal((string.Empty, false), (bars[4].Rect, bars[4].TextX < middle));
        Assert.Equal(4, CountOf(chart, "<rect"));
    }

    [Fact]
    public void An_empty_change_chart_says_there_is_nothing_to_chart()
    {
        var sample = ComparisonSample.Section();
        var empty = new ComparisonSection(sample.BaselineLabel, sample.BaselineAsOf, sample.CurrentAsOf, sample.Headline, sample.Tables,
            new ChartSeries("chart-inactive-change", "Changes", [], diverging: true), [], sample.NotCompared);

        var html = LicenseReportHtml.ToHtml(Report(empty));

        Assert.Contains("<p class=\"note\">Nothing to chart.</p>", Section(html, "chart-inactive-change"), StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", Section(html, "chart-inactive-change"), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"trends\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trend_runs_through_its_known_points_and_leaves_a_gap_at_an_unknown_one()
    {
        var html = LicenseReportHtml.ToHtml(Report(ComparisonSample.Section()));
        var share = Between(html, "<figure id=\"trend-inactive-share\" class=\"trend\">", "</figure>");

        // Five points equally spaced; the third unknown: two lines, one each side of it, and no marker for it.
        var lines = Regex.Matches(share, "<polyline class=\"line\" points=\"([^\"]*)\"/>").Select(m => m.Groups[1].Value.Split(' ').Select(p => Int(p.Split(',')[0])).ToList()).ToList();
        var xs = Regex.Matches(share, "<text class=\"point-label\" x=\"(\\d+)\"").Select(m => Int(m.Groups[1].Value)).ToList();
        Assert.Equal(5, xs.Count);
        Assert.Single(xs.Zip(xs.Skip(1), (a, b) => b - a).Distinct());
        Assert.Equal([xs[0] + " " + xs[1], xs[3] + " " + xs[4]], lines.Select(l => string.Join(" ", l)));
        Assert.Equal(4, CountOf(share, "<circle"));
        Assert.Contains("<g class=\"point unknown\"><title>2026-09-01: unknown</title>\n<text class=\"point-value\" x=\"" + xs[2] + "\"", share, StringComparison.Ordinal);
        Assert.DoesNotContain(">0.0 %<", share, StringComparison.Ordinal);

        // Every value above its point, this report's marker filled (the class the style fills), the lowest at the bottom.
        Assert.Equal(["19.0 %", "19.5 %", "unknown", "20.0 %", "21.5 %"], Regex.Matches(share, "<text class=\"point-value\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value));
        Assert.Contains("<g class=\"point current\"><title>2026-11-01: 21.5 %</title>", share, StringComparison.Ordinal);
        var cy = Regex.Matches(share, "<circle cx=\"\\d+\" cy=\"(\\d+)\"").Select(m => Int(m.Groups[1].Value)).ToList();
        Assert.Equal(cy.Max(), cy[0]);
        Assert.Equal(cy.Min(), cy[^1]);
        Assert.Contains("<figcaption>Inactive share</figcaption>", share, StringComparison.Ordinal);

        // A small figure of its own: about 380 by 120, titled.
        Assert.Contains("<figure id=\"trend-licenses-inactive\" class=\"trend\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Licenses inactive\" width=\"380\" height=\"120\"", html, StringComparison.Ordinal);

        // A flat series is drawn at mid-height, one line through all its points.
        var flat = Between(html, "<figure id=\"trend-customers\" class=\"trend\">", "</figure>");
        Assert.Single(Regex.Matches(flat, "<polyline"));
        Assert.Single(Regex.Matches(flat, "<circle cx=\"\\d+\" cy=\"(\\d+)\"").Select(m => m.Groups[1].Value).Distinct());
    }

    [Fact]
    public void The_page_with_a_comparison_is_self_contained()
    {
        var html = LicenseReportHtml.ToHtml(Report(ComparisonSample.Section()));

        var policy = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.Matches("^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; script-src 'sha256-[A-Za-z0-9+/=]{44}'$", policy);
        Assert.Equal(Hash(Between(html, "<style>", "</style>")), Regex.Match(policy, "style-src '([^']*)'").Groups[1].Value);
        Assert.Equal(1, CountOf(html, "<script>"));
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html.Replace("src=x", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal).Replace("http-equiv", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        // The section's parts read in grey-scale print: kept whole on a page.
        Assert.Matches("@media print\\{[^\\n]*section\\.change-chart[^\\n]*figure\\.trend[^\\n]*\\{break-inside:avoid\\}", html);
    }

    private static int Int(string text) => text.Length == 0 ? -1 : int.Parse(text, CultureInfo.InvariantCulture);

    // A section that holds no other: from its start to its first end.
    private static string Section(string html, string id)
    {
        var start = html.IndexOf("<section id=\"" + id + "\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "No section " + id);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    // A section with the sections inside it: to the end that closes it.
    private static string Whole(string html, string id)
    {
        var start = html.IndexOf("<section id=\"" + id + "\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "No section " + id);
        var depth = 0;
        foreach (Match tag in Regex.Matches(html[start..], "<section[ >]|</section>"))
        {
            depth += tag.Value.StartsWith("</", StringComparison.Ordinal) ? -1 : 1;
            if (depth == 0)
            {
                return html.Substring(start, tag.Index + tag.Length);
            }
        }

        throw new InvalidOperationException("The section " + id + " does not end.");
    }
}
