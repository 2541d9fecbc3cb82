using System.Text.RegularExpressions;
using PartnerCenterUsage.Engine.Reports;
using PartnerCenterUsage.Engine.Reports.Html;
using PartnerCenterUsage.Engine.Reports.Model;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The report's "Act before renewal" section, from Get-PCLicenseReduction rows built here: which seats it lists, in
/// which order and period, what its figures count, how it flags uncertain matches, and what a report without such rows
/// says.
/// </summary>
public sealed class RenewalSectionTests
{
    private static readonly Guid Contoso = Guid.Parse("11111111-1111-1111-1111-111111111111");

    // The connection clock's now the rows were judged at; the report is made much later, by another clock.
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly LicenseReportOptions Options = new() { Title = "Report", GeneratedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) };

    private static CustomerLicenseReduction Row(
        string customer, string product, long? cutNow = 0, DateTimeOffset? until = null, long? cutAtRenewal = 0, DateTimeOffset? renewal = null,
        LicenseMatch match = LicenseMatch.Matched, DateTimeOffset? asOf = null, params CustomerSubscription[] subscriptions) => new()
    {
        CustomerId = Contoso,
        CustomerName = customer,
        ProductName = product,
        PaidSeats = 20,
        AssignedSeats = 15,
        ActiveSeats = 10,
        Match = match,
        MatchNote = match == LicenseMatch.Matched ? null : "Why " + match,
        Subscriptions = new CustomerSubscriptionList(subscriptions.Length > 0 ? subscriptions : [new CustomerSubscription { FriendlyName = product + " sub", AutoRenewEnabled = true }]),
        CuttableNow = cutNow,
        ReturnableUntil = cutNow > 0 ? until : null,
        CuttableAtRenewal = cutAtRenewal,
        NextRenewal = renewal,
        AutoRenewEnabled = true,
        AsOf = asOf ?? Now,
    };

    private static DateTimeOffset Midnight(int daysAfter) => new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddDays(daysAfter);

    private static RenewalSection Section(params CustomerLicenseReduction[] rows) => Built(rows).Build(Options).Renewal!;

    private static LicenseReportBuilder Built(IEnumerable<object> rows, int tableCap = LicenseReportBuilder.DefaultTableCap)
    {
        var report = new LicenseReportBuilder(tableCap);
        foreach (var row in rows)
        {
            Assert.True(report.TryAdd(row));
        }

        return report;
    }

    private static (string Customer, RenewalActionKind Kind, long? Seats, DateTimeOffset? Deadline) Brief(RenewalAction a) => (a.Customer!, a.Kind, a.Seats, a.Deadline);

    [Fact]
    public void It_lists_what_can_be_cut_in_the_next_90_days_soonest_first_in_periods_of_30_days()
    {
        var section = Section(
            Row("Renews in 45 days", "E3", cutAtRenewal: 4, renewal: Midnight(45)),
            Row("Returnable for 3 days", "E3", cutNow: 2, until: Now.AddDays(3)),
            Row("Renews in 120 days", "E3", cutAtRenewal: 9, renewal: Midnight(120)),
            Row("Renews in 10 days", "E3", cutAtRenewal: 5, renewal: Midnight(10)),
            Row("Nothing to cut", "E3", cutNow: 0, cutAtRenewal: 0, renewal: Midnight(5)),
            Row("Renews in 80 days", "E3", cutAtRenewal: 1, renewal: Midnight(80)),
            Row("Renewed yesterday", "E3", cutAtRenewal: 7, renewal: Midnight(0)));

        Assert.Equal(Now, section.AsOf);
        Assert.Equal([(0, 30), (30, 60), (60, 90)], section.Groups.Select(g => (g.FromDays, g.ToDays)));
        Assert.Equal(
            [("Returnable for 3 days", RenewalActionKind.Return, 2L, Now.AddDays(3)), ("Renews in 10 days", RenewalActionKind.CutAtRenewal, 5L, Midnight(10))],
            section.Groups[0].Actions.Select(Brief).Select(b => (b.Customer, b.Kind, b.Seats!.Value, b.Deadline!.Value)));
        Assert.Equal(["Renews in 45 days"], section.Groups[1].Actions.Select(a => a.Customer));
        Assert.Equal(["Renews in 80 days"], section.Groups[2].Actions.Select(a => a.Customer));
        Assert.Equal([7L, 4, 1], section.Groups.Select(g => g.Seats));
        Assert.Equal(1, section.ActionsLater);
    }

    [Fact]
    public void A_row_that_can_return_seats_now_and_cut_more_at_renewal_gives_two_actions_each_in_its_own_period()
    {
        var section = Section(Row("Both", "E3", cutNow: 3, until: Now.AddDays(2), cutAtRenewal: 6, renewal: Midnight(40)));

        Assert.Equal((RenewalActionKind.Return, (long?)3), section.Groups[0].Actions.Select(a => (a.Kind, a.Seats)).Single());
        Assert.Equal((RenewalActionKind.CutAtRenewal, (long?)6), section.Groups[1].Actions.Select(a => (a.Kind, a.Seats)).Single());
        var figures = section.Figures.ToDictionary(f => f.Label, f => f.Value);
        Assert.Equal(ReportValue.Count(3), figures["Seats to cut within 30 days"]);
        Assert.Equal(ReportValue.Count(3), figures["Seats returnable now"]);
    }

    [Fact]
    public void A_deadline_exactly_30_days_away_is_within_30_days_and_a_moment_later_is_not()
    {
        var section = Section(
            Row("At 30 days", "E3", cutAtRenewal: 1, renewal: Now.AddDays(30)),
            Row("Just after", "E3", cutAtRenewal: 2, renewal: Now.AddDays(30).AddTicks(1)),
            Row("At 90 days", "E3", cutAtRenewal: 4, renewal: Now.AddDays(90)),
            Row("After 90 days", "E3", cutAtRenewal: 8, renewal: Now.AddDays(90).AddMinutes(1)));

        Assert.Equal([1L, 2, 4], section.Groups.Select(g => g.Seats));
        Assert.Equal(1, section.ActionsLater);
    }

    [Fact]
    public void The_figures_are_the_seats_to_cut_by_a_date_within_30_days_and_every_seat_returnable_now_of_matches_not_flagged()
    {
        var section = Section(
            Row("A", "E3", cutNow: 2, until: Now.AddDays(1), cutAtRenewal: 5, renewal: Midnight(20)),
            Row("B", "E3", cutNow: 4, until: Now.AddHours(6)),
            Row("C", "E3", cutAtRenewal: 10, renewal: Midnight(50)),
            Row("D", "Ambiguous product", cutNow: 100, until: Now.AddDays(1), cutAtRenewal: 100, renewal: Midnight(15), match: LicenseMatch.Ambiguous));

        var figures = section.Figures.ToDictionary(f => f.Label, f => f.Value.Current);
        Assert.Equal(["Seats to cut within 30 days", "Seats returnable now"], section.Figures.Select(f => f.Label));
        Assert.Equal(11, figures["Seats to cut within 30 days"]);
        Assert.Equal(6, figures["Seats returnable now"]);
        Assert.Equal(11, section.Groups[0].Seats);
        Assert.Equal(5, section.Groups[0].ActionCount);
        Assert.Equal(2, section.Groups[0].FlaggedCount);
        Assert.Equal(["B", "A", "D", "D", "A"], section.Groups[0].Actions.Select(a => a.Customer));
    }

    [Fact]
    public void Seats_returnable_now_whose_window_end_is_not_said_are_the_most_urgent()
    {
        var section = Section(
            Row("Dated", "E3", cutNow: 1, until: Now.AddHours(1)),
            Row("Undated", "E3", cutNow: 2, until: null));

        Assert.Equal(["Undated", "Dated"], section.Groups[0].Actions.Select(a => a.Customer));
        Assert.Null(section.Groups[0].Actions[0].Deadline);
        Assert.Equal(3, section.Figures.Single(f => f.Label == "Seats returnable now").Value.Current);
        Assert.Contains("<td>now (the window&#39;s end is not said)</td><td>Undated</td><td>E3</td><td>Return 2 seats for a refund now</td>", Html(section), StringComparison.Ordinal);
    }

    [Fact]
    public void A_flagged_match_whose_seats_are_unknown_is_listed_to_check_before_its_renewal_or_return_window()
    {
        var refundable = new CustomerSubscription
        {
            FriendlyName = "Visio",
            AutoRenewEnabled = true,
            RefundableSeats = new RefundableSeatsList([new RefundableSeats(3, Now.AddDays(2)), new RefundableSeats(2, Now.AddDays(-1))]),
        };
        var section = Section(
            Row("Ambiguous", "E3 or E5", cutNow: null, cutAtRenewal: null, renewal: Midnight(25), match: LicenseMatch.Ambiguous),
            Row("NotInAnalytics", "Visio", cutNow: null, cutAtRenewal: null, renewal: Midnight(70), match: LicenseMatch.NotInAnalytics, subscriptions: refundable),
            Row("Missing, no date", "?", cutNow: null, cutAtRenewal: null, match: LicenseMatch.Missing),
            Row("Matched, unknown use", "E3", cutNow: null, cutAtRenewal: null, renewal: Midnight(5)));

        var actions = section.Groups[0].Actions;
        Assert.Equal(
            [("NotInAnalytics", RenewalActionKind.Return, (long?)null, (DateTimeOffset?)Now.AddDays(2)), ("Ambiguous", RenewalActionKind.CutAtRenewal, null, Midnight(25))],
            actions.Select(Brief));
        Assert.All(actions, a => Assert.True(a.IsFlagged));
        Assert.Equal(0, section.Groups[0].Seats);
        Assert.Equal(2, section.Groups[0].FlaggedCount);
        Assert.Equal(1, section.RowsUnknown);
        Assert.All(section.Figures, f => Assert.Equal(0, f.Value.Current));

        var html = Html(section);
        Assert.Contains("2 actions of matches flagged Ambiguous, Missing or NotInAnalytics are listed, marked &quot;Check&quot;, and not counted in the figures", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"flagged\"><td>2026-12-03 until 10:00</td><td>NotInAnalytics</td><td>Visio</td><td>Check: seats refundable by 2026-12-03 10:00 UTC, how many are unused is unknown</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Check: renews on 2026-12-26, how many seats to cut is unknown</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Ambiguous: Why Ambiguous</td>", html, StringComparison.Ordinal);
        Assert.Contains("1 of the 4 license reduction rows do not know their seats to cut", html, StringComparison.Ordinal);
        Assert.Contains("(2 flagged, not counted)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Now_is_the_latest_AsOf_of_the_rows_whatever_their_order_never_the_clock_the_report_is_made_by()
    {
        // The second customer was judged an hour later; by then the first one's window (30 minutes after its AsOf) had closed.
        var early = Row("Early", "E3", cutNow: 2, until: Now.AddMinutes(30));
        var late = Row("Late", "E3", cutAtRenewal: 3, renewal: Midnight(10), asOf: Now.AddHours(1));
        foreach (var rows in new[] { new[] { early, late }, new[] { late, early } })
        {
            var section = Section(rows);

            Assert.Equal(Now.AddHours(1), section.AsOf);
            Assert.Equal(["Late"], section.Groups[0].Actions.Select(a => a.Customer));
            Assert.Equal(0, section.Figures.Single(f => f.Label == "Seats returnable now").Value.Current);
        }

        var html = Html(Section(late));
        Assert.Contains("in the 90 days from 2026-12-01 11:00 UTC", html, StringComparison.Ordinal);
        Assert.Contains("Up to 2026-12-31 11:00 UTC", html, StringComparison.Ordinal);
        Assert.DoesNotContain("2030-01-", Between(html, "<section id=\"act-before-renewal\"", "</section>\n</section>"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_at_midnight_UTC_leaves_the_whole_day_before_it_and_one_within_a_day_says_until_when()
    {
        var section = Section(
            Row("Renewal", "E3", cutAtRenewal: 5, renewal: new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Row("Window", "E3", cutNow: 3, until: new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero)),
            Row("Offset", "E3", cutNow: 1, until: new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.FromHours(1))));

        var actions = section.Groups.SelectMany(g => g.Actions).ToDictionary(a => a.Customer!);
        Assert.Equal((new DateTime(2026, 12, 31), true), (actions["Renewal"].LastDay!.Value, actions["Renewal"].EndsWithTheDay));
        Assert.Equal((new DateTime(2026, 12, 8), false), (actions["Window"].LastDay!.Value, actions["Window"].EndsWithTheDay));
        Assert.Equal((new DateTime(2026, 12, 4), true), (actions["Offset"].LastDay!.Value, actions["Offset"].EndsWithTheDay));

        var html = Html(section);
        Assert.Contains("<td>2026-12-31</td><td>Renewal</td><td>E3</td><td>Cut 5 seats at the renewal on 2027-01-01 (schedule it by 2026-12-31)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2026-12-08 until 10:00</td><td>Window</td><td>E3</td><td>Return 3 seats for a refund by 2026-12-08 10:00 UTC</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2026-12-04</td><td>Offset</td><td>E3</td><td>Return 1 seat for a refund by 2026-12-04</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_shows_its_unused_and_free_seats_subscriptions_and_auto_renewal()
    {
        var row = Row("Contoso", "E3", cutAtRenewal: 5, renewal: Midnight(20), subscriptions:
            [new CustomerSubscription { FriendlyName = "E3 annual", AutoRenewEnabled = true }, new CustomerSubscription { OfferName = "Office 365 E3", AutoRenewEnabled = false }]);
        row.AutoRenewEnabled = null;

        var action = Section(row).Groups[0].Actions.Single();

        Assert.Equal((10L, 5L), (action.UnusedSeats!.Value, action.FreeSeats!.Value));
        Assert.Equal(["E3 annual", "Office 365 E3"], action.Subscriptions);
        Assert.Null(action.AutoRenewEnabled);
        Assert.Contains(
            "<td class=\"n\" data-v=\"10\">10</td><td class=\"n\" data-v=\"5\">5</td><td>E3 annual; Office 365 E3</td><td>mixed or unknown</td><td>Matched</td>",
            Html(Section(row)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_keeps_only_the_soonest_actions_and_counts_them_all_in_bounded_memory()
    {
        var rows = Enumerable.Range(0, 10_000).Select(i => Row("C" + i, "E3", cutAtRenewal: 1, renewal: Now.AddMinutes(10_000 - i)));

        var section = Built(rows, tableCap: 3).Build(Options).Renewal!;

        Assert.Equal(["C9999", "C9998", "C9997"], section.Groups[0].Actions.Select(a => a.Customer));
        Assert.Equal(10_000, section.Groups[0].ActionCount);
        Assert.Equal(10_000, section.Groups[0].Seats);
        Assert.True(section.Groups[0].IsCapped);
        Assert.Empty(section.Groups[1].Actions);
        Assert.Contains("The 3 soonest of 10,000 actions", Html(section), StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_is_tables_with_captions_and_column_headers_not_sortable_and_its_text_encoded()
    {
        var html = Html(Section(Row("<script>alert(1)</script>", "<b>E3</b>", cutAtRenewal: 5, renewal: Midnight(20))));
        var section = Between(html, "<section id=\"act-before-renewal\">", "</section>\n</section>");

        Assert.Contains("<h2>Act before renewal</h2>", section, StringComparison.Ordinal);
        Assert.Contains("<section id=\"act-within-30\" class=\"renewal\">\n<h3>Within 30 days</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>In 31 to 60 days</h3>\n<p class=\"note\">Nothing to act on by 2027-01-30 10:00 UTC.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>In 61 to 90 days</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"actions\">\n<caption>Up to 2026-12-31 10:00 UTC: 5 seats to return or cut in 1 action</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Last day to act (UTC)</th><th scope=\"col\">Customer</th>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sortable", Between(html, "<section id=\"act-before-renewal\">", "<script>"), StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        // The page's own script, and its figures' data block (no browser runs it): no row wrote another.
        Assert.Equal(1, Regex.Count(html, "<script>"));
        Assert.Equal(2, Regex.Count(html, "<script"));
        Assert.Contains("<span class=\"value\">5</span>Seats to cut within 30 days", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">0</span>Seats returnable now", html, StringComparison.Ordinal);
        Assert.Contains("no row here is flagged", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_reduction_rows_has_no_section_and_says_it_left_them_out_and_other_rows_work_as_before()
    {
        var usage = new CustomerLicenseUsage { CustomerId = Contoso, CustomerName = "Contoso", WorkloadName = "Exchange", LicensesQualified = 10, LicensesActive = 4 };
        var report = Built([usage]).Build(Options);

        Assert.Null(report.Renewal);
        var html = LicenseReportHtml.ToHtml(report);
        Assert.DoesNotContain("act-before-renewal", html, StringComparison.Ordinal);
        Assert.Contains(
            "<p class=\"note\">No license reduction rows (CustomerLicenseReduction) were given, so the page has no section &quot;Act before renewal&quot;",
            Between(html, "<section id=\"figures\">", "</section>"),
            StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">6</span>Licenses inactive", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_of_reduction_rows_only_is_the_section_and_says_what_it_has_not()
    {
        var builder = Built([Row("Contoso", "E3", cutNow: 2, until: Now.AddDays(1))]);
        var report = builder.Build(Options);

        Assert.False(report.IsEmpty);
        Assert.Empty(report.Figures);
        Assert.Empty(report.Tables);
        Assert.Equal(1, builder.ReductionRowCount);
        Assert.Equal(0, builder.CustomerCount);
        var html = LicenseReportHtml.ToHtml(report);
        Assert.Contains("No license usage, deployment or subscribed SKU rows were given", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Act before renewal</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("There is no data", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Reduction_rows_add_nothing_to_the_customers_figures_which_the_usage_and_deployment_rows_count()
    {
        var deployment = new CustomerLicenseDeployment { CustomerId = Contoso, CustomerName = "Contoso", ProductName = "E3", LicensesSold = 20, LicensesDeployed = 15 };
        var builder = Built([deployment, Row("Contoso", "E3", cutAtRenewal: 5, renewal: Midnight(20))]);

        Assert.Equal(20, builder.Deployment.Sold);
        Assert.Equal(1, builder.CustomerCount);
        Assert.Equal(1, builder.DeploymentRowCount);
        Assert.Single(builder.Build(Options).Tables.Single(t => t.Id == "table-deployment").Rows);
    }

    private static string Html(RenewalSection section) =>
        LicenseReportHtml.ToHtml(new LicenseReport("Report", Options.GeneratedAt, [], 0, [], [], [], []) { Renewal = section });

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, "No " + start);
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? text[from..] : text[from..to];
    }
}
