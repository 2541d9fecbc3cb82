using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PartnerCenterUsage.Engine.Reports.Data;
using PartnerCenterUsage.Engine.Reports.Model;

namespace PartnerCenterUsage.Engine.Reports.Html;

/// <summary>
/// Writes a <see cref="LicenseReport"/> as one self-contained HTML page: inline CSS, inline SVG bar charts with text
/// labels (readable in grey-scale and in print), and one small inline script that makes the tables sortable where
/// script runs. Nothing is loaded from anywhere else, and the page's Content-Security-Policy says so: it allows only its
/// own style and script, by hash. Without script (a mail client, print) the tables are complete, the largest waste
/// first. It only renders: what the page shows is the report's, and every text goes through an
/// <see cref="HtmlWriter"/>, which encodes it. An unknown value is written as "unknown" (figures) or left empty
/// (tables), never as 0. Numbers and dates are formatted in the invariant culture; the same report makes the same page.
/// </summary>
public static class LicenseReportHtml
{
    private const string Unknown = "unknown";

    // A decrease is written with the minus sign, not the hyphen: it reads as one, and wraps with its number.
    private const string MinusSign = "\u2212";

    // The characters of a chart's label that fit its 260 pixels in capitals.
    private const int LabelLength = 32;

    private const int LabelWidth = 260;
    private const int BarWidth = 380;
    private const int ValueWidth = 200;
    private const int RowHeight = 22;

    // A diverging chart: the label column, room for a decrease's value text, a half for decreases, the middle line, a
    // half for increases and room for an increase's value text.
    private const int HalfWidth = 190;
    private const int ChangeValueWidth = 80;
    private const int Axis = LabelWidth + ChangeValueWidth + HalfWidth;

    // A trend: at least this wide, each point this far from the next; the line between TrendTop and TrendBottom, the
    // values above their points and the points' labels under the axis.
    private const int TrendWidth = 380;
    private const int TrendHeight = 120;
    private const int TrendMargin = 40;
    private const int TrendSpacing = 76;
    private const int TrendTop = 30;
    private const int TrendBottom = 86;
    private const int TrendAxis = 96;

    private static readonly string[] RenewalColumns = ["Last day to act (UTC)", "Customer", "Product", "To do", "Unused", "Free", "Subscriptions", "Auto-renew", "Match"];

    // The page allows its own style and script and nothing else: no request leaves it, and a script that got into the
    // page any other way would not run.
    private static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src " + PageAsset.Style.Source + "; script-src " + PageAsset.Script.Source;

    /// <summary>Writes the page of <paramref name="report"/>.</summary>
    public static void Write(TextWriter writer, LicenseReport report)
    {
        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        if (report is null)
        {
            throw new ArgumentNullException(nameof(report));
        }

        var html = new HtmlWriter(writer);
        html.Doctype().Line();
        html.Open("html").Attribute("lang", "en").Line();
        html.Open("head").Line();
        html.Open("meta").Attribute("charset", "utf-8").Line();
        html.Open("meta").Attribute("http-equiv", "Content-Security-Policy").Attribute("content", ContentSecurityPolicy).Line();
        html.Open("meta").Attribute("name", "viewport").Attribute("content", "width=device-width, initial-scale=1").Line();
        html.Open("meta").Attribute("name", "generator").Attribute("content", LicenseReportData.Generator(report.ModuleVersion)).Line();
        html.Element("title", report.Title).Line();
        html.Embed(PageAsset.Style).Line();
        html.Close("head").Line();
        html.Open("body").Line();
        html.Element("h1", report.Title).Line();
        html.Open("p").Attribute("class", "meta").Text("Made " + Date(report.GeneratedAt) + ". " + ProcessedText(report)).Close("p").Line();

        if (report.IsEmpty)
        {
            html.Open("p").Attribute("class", "empty").Text("There is no data: no license usage, deployment, subscribed SKU or license reduction rows were given.").Close("p").Line();
        }
        else
        {
            if (report.Figures.Count > 0)
            {
                WriteFigures(html, report);
            }
            else
            {
                html.Open("p").Attribute("class", "note").Text("No license usage, deployment or subscribed SKU rows were given: the page has no headline figures, charts or tables of them, only the section \"Act before renewal\".").Close("p").Line();
            }

            if (report.Comparison is { } comparison)
            {
                WriteComparison(html, comparison);
            }

            if (report.Renewal is { } renewal)
            {
                WriteRenewal(html, renewal);
            }

            foreach (var chart in report.Charts)
            {
                WriteChart(html, chart);
            }

            foreach (var table in report.Tables)
            {
                WriteTable(html, table);
            }

            html.Embed(PageAsset.Script).Line();
        }

        // Last in the body: a copy cut short loses the data's end, and a reader knows it is damaged.
        html.Raw(writer => LicenseReportData.Write(writer, Header(report), report.Data)).Line();
        html.Close("body").Line();
        html.Close("html").Line();
    }

    private static LicenseReportHeader Header(LicenseReport report) => new()
    {
        ModuleVersion = report.ModuleVersion,
        Title = report.Title,
        GeneratedAt = report.GeneratedAt,
        ProcessedDates = report.ProcessedDates,
        ProcessedDatesNotListed = report.ProcessedDatesNotListed,
    };

    /// <summary>Writes the page to a string (for tests and small reports).</summary>
    public static string ToHtml(LicenseReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, report);
        return writer.ToString();
    }

    private static string ProcessedText(LicenseReport report)
    {
        if (report.ProcessedDates.Count == 0)
        {
            return "Processed: unknown.";
        }

        var dates = string.Join(", ", report.ProcessedDates.Select(Date));
        var more = report.ProcessedDatesNotListed > 0
            ? string.Format(CultureInfo.InvariantCulture, " (and {0} older)", report.ProcessedDatesNotListed)
            : string.Empty;
        return "Processed: " + dates + more + ".";
    }

    private static void WriteFigures(HtmlWriter html, LicenseReport report)
    {
        html.Open("section").Attribute("id", "figures").Line();
        html.Element("h2", "Headline figures").Line();
        html.Open("ul").Attribute("class", "figures").Line();
        foreach (var figure in report.Figures)
        {
            html.Open("li").Open("span").Attribute("class", ValueClass("value", figure.Value)).Text(Shown(figure.Value)).Close("span").Text(figure.Label).Close("li").Line();
        }

        html.Close("ul").Line();
        foreach (var note in Notes(report))
        {
            html.Open("p").Attribute("class", "note").Text(note).Close("p").Line();
        }

        html.Close("section").Line();
    }

    private static IEnumerable<string> Notes(LicenseReport report)
    {
        if (report.Renewal is null)
        {
            yield return "No license reduction rows (CustomerLicenseReduction) were given, so the page has no section \"Act before renewal\" (the unused seats to return or cut before the subscriptions renew).";
        }

        if (report.UsageRowsUnknown > 0)
        {
            yield return string.Format(CultureInfo.InvariantCulture, "{0} usage rows lack a qualified or active count: their known counts are summed, and they add nothing to the inactive figures.", Number(report.UsageRowsUnknown));
        }

        if (report.DeploymentRowsUnknown > 0)
        {
            yield return string.Format(CultureInfo.InvariantCulture, "{0} deployment rows lack a sold or deployed count: they add nothing to the unassigned figure.", Number(report.DeploymentRowsUnknown));
        }

        if (report.AvailableUnitsUnknown > 0)
        {
            yield return string.Format(CultureInfo.InvariantCulture, "{0} subscribed SKU rows lack their available units.", Number(report.AvailableUnitsUnknown));
        }

        if (report.RowsRepeated > 0)
        {
            yield return string.Format(CultureInfo.InvariantCulture, "{0} rows repeated a row already read (the same customer, product, workload, day, service, channel and counts) and are counted once.", Number(report.RowsRepeated));
        }

        if (report.SumsTooLarge.Count > 0)
        {
            yield return string.Format(CultureInfo.InvariantCulture, "Too large to count: sums of {0} went past {1}, the most a count holds, and are shown as unknown, never as a number of the other sign.", string.Join(", ", report.SumsTooLarge), Counts.Largest);
        }

        foreach (var period in report.Periods)
        {
            if (period.Days.Count > 1)
            {
                // Figures of several days, each customer's own: the reader learns which days they are.
                var dated = period.Days.Where(d => d.Date is not null).ToList();
                var undated = period.Days.FirstOrDefault(d => d.Date is null);
                var text = string.Format(
                    CultureInfo.InvariantCulture,
                    "The {0} figures sum each customer's latest rows, which are of {1} processed {2}: {3}.",
                    period.Name,
                    dated.Count,
                    dated.Count == 1 ? "day" : "days",
                    string.Join(", ", dated.Select(d => Day(d.Date) + " (" + Customers(d.Customers) + ")")));
                if (undated is not null)
                {
                    text += " Rows without a processed date (" + Customers(undated.Customers) + ") are counted too.";
                }

                yield return text;
            }

            if (period.DaysLeftOut.Count > 0)
            {
                var rows = period.DaysLeftOut.Sum(d => d.Rows);
                var text = string.Format(
                    CultureInfo.InvariantCulture,
                    "Left out of the figures, the charts and the tables: {0} {1} {2} processed on {3}, because a later processed day has {1} rows of the same customers again: they are an earlier state of those licenses, not more of them.",
                    Number(rows),
                    period.Name,
                    rows == 1 ? "row" : "rows",
                    string.Join(", ", period.DaysLeftOut.Select(d => Day(d.Date))));
                if (period.CustomersLeftOut > 0)
                {
                    text += string.Format(
                        CultureInfo.InvariantCulture,
                        " {0} {1} {2} rows of those days only: {3} not in the {2} figures.",
                        Customers(period.CustomersLeftOut),
                        period.CustomersLeftOut == 1 ? "has" : "have",
                        period.Name,
                        period.CustomersLeftOut == 1 ? "it is" : "they are");
                }

                yield return text;
            }
        }
    }

    /// <summary>
    /// The "Act before renewal" section: its figures, what they leave out, and a table for each 30 days of the 90 ahead,
    /// the soonest deadline first. The tables are not sortable: their order is the point. A deadline is shown as the
    /// last day to act (UTC, inclusive): a window that closes at midnight UTC leaves the whole day before it, one that
    /// closes at another hour says until when.
    /// </summary>
    private static void WriteRenewal(HtmlWriter html, RenewalSection section)
    {
        html.Open("section").Attribute("id", "act-before-renewal").Line();
        html.Element("h2", "Act before renewal").Line();
        html.Open("p").Attribute("class", "note").Text(string.Format(
            CultureInfo.InvariantCulture,
            "Unused seats to return before their return window closes, or to cut before their subscriptions renew, in the {0} days from {1} (the time the license reduction rows were judged at, their latest AsOf). Each date is the last day to act, in UTC and inclusive: a window that closes at midnight UTC leaves the whole day before it (a term that ends 2027-02-01 00:00 UTC is acted on by 2027-01-31); one that closes at another time says until when.",
            RenewalSection.Horizon,
            Date(section.AsOf))).Close("p").Line();
        html.Open("ul").Attribute("class", "figures").Line();
        foreach (var figure in section.Figures)
        {
            html.Open("li").Open("span").Attribute("class", ValueClass("value", figure.Value)).Text(Shown(figure.Value)).Close("span").Text(figure.Label).Close("li").Line();
        }

        html.Close("ul").Line();
        foreach (var note in RenewalNotes(section))
        {
            html.Open("p").Attribute("class", "note").Text(note).Close("p").Line();
        }

        foreach (var group in section.Groups)
        {
            WriteRenewalGroup(html, group);
        }

        html.Close("section").Line();
    }

    private static IEnumerable<string> RenewalNotes(RenewalSection section)
    {
        var flagged = section.Groups.Sum(g => g.FlaggedCount);
        yield return flagged == 0
            ? "The figures count the seats of matched subscriptions only; no row here is flagged Ambiguous, Missing or NotInAnalytics."
            : string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} flagged Ambiguous, Missing or NotInAnalytics {2} listed, marked \"Check\", and not counted in the figures: which product their seats are, or how many are unused, is not known. Check them by hand before their date.",
                Number(flagged),
                flagged == 1 ? "action of a match" : "actions of matches",
                flagged == 1 ? "is" : "are");

        if (section.RowsUnknown > 0)
        {
            yield return string.Format(
                CultureInfo.InvariantCulture,
                "{0} of the {1} license reduction rows do not know their seats to cut (the seats in use, or the seats refundable, are unknown): they are not listed.",
                Number(section.RowsUnknown),
                Number(section.RowsRead));
        }

        if (section.Groups.Any(g => g.Seats is null) || section.Figures.Any(f => f.Value.Current is null))
        {
            yield return string.Format(CultureInfo.InvariantCulture, "Too large to count: sums of seats went past {0}, the most a count holds, and are shown as unknown, never as a number of the other sign.", Counts.Largest);
        }

        if (section.ActionsLater > 0)
        {
            yield return string.Format(
                CultureInfo.InvariantCulture,
                "{0} more {1} a date further than {2} days away.",
                Number(section.ActionsLater),
                section.ActionsLater == 1 ? "action has" : "actions have",
                RenewalSection.Horizon);
        }
    }

    private static void WriteRenewalGroup(HtmlWriter html, RenewalGroup group)
    {
        var title = group.FromDays == 0
            ? string.Format(CultureInfo.InvariantCulture, "Within {0} days", group.ToDays)
            : string.Format(CultureInfo.InvariantCulture, "In {0} to {1} days", group.FromDays + 1, group.ToDays);
        html.Open("section").Attribute("id", "act-within-" + group.ToDays.ToString(CultureInfo.InvariantCulture)).Attribute("class", "renewal").Line();
        html.Element("h3", title).Line();
        if (group.ActionCount == 0)
        {
            html.Open("p").Attribute("class", "note").Text("Nothing to act on by " + Date(group.Until) + ".").Close("p").Line();
            html.Close("section").Line();
            return;
        }

        if (group.IsCapped)
        {
            html.Open("p").Attribute("class", "note").Text(string.Format(
                CultureInfo.InvariantCulture,
                "The {0} soonest of {1} actions; the counts count them all.",
                Number(group.Actions.Count),
                Number(group.ActionCount))).Close("p").Line();
        }

        html.Open("table").Attribute("class", "actions").Line();
        var caption = string.Format(
            CultureInfo.InvariantCulture,
            "Up to {0}: {1} {2} to return or cut in {3} {4}",
            Date(group.Until),
            group.Seats is { } seats ? Number(seats) : "more",
            group.Seats is { } one && one == 1 ? "seat" : group.Seats is null ? "seats than a count holds" : "seats",
            Number(group.ActionCount),
            group.ActionCount == 1 ? "action" : "actions");
        if (group.FlaggedCount > 0)
        {
            caption += string.Format(CultureInfo.InvariantCulture, " ({0} flagged, not counted)", Number(group.FlaggedCount));
        }

        html.Open("caption").Text(caption).Close("caption").Line();
        Head(html, RenewalColumns);
        html.Open("tbody").Line();
        foreach (var action in group.Actions)
        {
            html.Open("tr");
            if (action.IsFlagged)
            {
                html.Attribute("class", "flagged");
            }

            html.Open("td").Text(LastDay(action)).Close("td");
            html.Open("td").Text(action.Customer).Close("td");
            html.Open("td").Text(action.Product).Close("td");
            html.Open("td").Text(ToDo(action)).Close("td");
            Cell(html, ReportCell.OfValue(ReportValue.Count(action.UnusedSeats)));
            Cell(html, ReportCell.OfValue(ReportValue.Count(action.FreeSeats)));
            html.Open("td").Text(string.Join("; ", action.Subscriptions)).Close("td");
            html.Open("td").Text(action.AutoRenewEnabled switch { true => "on", false => "off", null => "mixed or unknown" }).Close("td");
            html.Open("td").Text(action.IsFlagged ? action.Match + (string.IsNullOrEmpty(action.MatchNote) ? string.Empty : ": " + action.MatchNote) : action.Match.ToString()).Close("td");
            html.Close("tr").Line();
        }

        html.Close("tbody").Line();
        html.Close("table").Line();
        html.Close("section").Line();
    }

    /// <summary>"2027-01-31" for a deadline at midnight UTC (the day before it); "2026-12-08 until 10:00" for one within its day.</summary>
    private static string LastDay(RenewalAction action) => action.Deadline switch
    {
        null => "now (the window's end is not said)",
        not null when action.EndsWithTheDay => Day(action.LastDay),
        { } deadline => Day(action.LastDay) + " until " + deadline.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// What to do, with its date: "Return 3 seats for a refund by 2026-12-07", "Cut 5 seats at the renewal on 2027-02-01
    /// (schedule it by 2027-01-31)"; a flagged match's begins "Check:", and says what is unknown.
    /// </summary>
    private static string ToDo(RenewalAction action)
    {
        var by = action.Deadline switch
        {
            null => "now",
            not null when action.EndsWithTheDay => "by " + Day(action.LastDay),
            { } deadline => "by " + Date(deadline),
        };
        var seats = action.Seats is { } n ? Number(n) + (n == 1 ? " seat" : " seats") : null;
        string text;
        if (action.Kind == RenewalActionKind.Return)
        {
            text = seats is null
                ? "seats refundable " + by + ", how many are unused is unknown"
                : "return " + seats + " for a refund " + by;
        }
        else
        {
            var renewal = Renewal(action.Deadline!.Value);
            text = seats is null
                ? "renews on " + renewal + ", how many seats to cut is unknown"
                : "cut " + seats + " at the renewal on " + renewal + " (schedule it " + by + ")";
        }

        return action.IsFlagged ? "Check: " + text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }

    // A renewal at midnight UTC is the day the new term starts; one at another time says when.
    private static string Renewal(DateTimeOffset renewal) =>
        renewal.UtcDateTime.TimeOfDay == TimeSpan.Zero ? Day(renewal.UtcDateTime.Date) : Date(renewal);

    private static string Customers(int customers) => Number(customers) + (customers == 1 ? " customer" : " customers");

    /// <summary>
    /// A horizontal bar chart: each bar carries its name and its value as text, so that it reads without colour.
    /// A bar with an inner value (active of qualified) draws the whole as an outlined light bar and the part as a
    /// dark one, and says both.
    /// </summary>
    private static void WriteChart(HtmlWriter html, ChartSeries chart)
    {
        if (chart.Diverging)
        {
            WriteChangeChart(html, chart, "h2");
            return;
        }

        html.Open("section").Attribute("id", chart.Id).Attribute("class", "chart").Line();
        html.Element("h2", chart.Title).Line();
        if (chart.Bars.Count == 0)
        {
            html.Open("p").Attribute("class", "note").Text("Nothing to chart.").Close("p").Line();
            html.Close("section").Line();
            return;
        }

        var width = Pixels(LabelWidth + BarWidth + ValueWidth);
        var height = Pixels((chart.Bars.Count * RowHeight) + 4);
        var max = Math.Max(1, chart.Bars.Max(b => Math.Max(b.Value.Current ?? 0, 0)));
        OpenSvg(html, chart.Title, width, height);
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = (i * RowHeight) + 2;
            var length = Length(bar.Value, max);
            var label = string.IsNullOrEmpty(bar.Label) ? Unknown : bar.Label!;

            // A long name is shortened to fit its column; the whole of it is the bar's tooltip.
            html.Open("g").Element("title", label).Line();
            html.Open("text").Attribute("x", Pixels(LabelWidth - 6)).Attribute("y", Pixels(y + 15)).Attribute("text-anchor", "end").Text(Shorten(label, LabelLength)).Close("text").Line();
            string valueText;
            if (chart.HasPart)
            {
                Rect(html, "bar2", y, length);
                if (bar.Part.Current is not null)
                {
                    Rect(html, "bar", y, Math.Min(Length(bar.Part, max), length));
                }

                valueText = Shown(bar.Part) + " of " + Shown(bar.Value) + " " + chart.PartLabel;
            }
            else
            {
                Rect(html, "bar", y, length);
                valueText = Shown(bar.Value);
            }

            html.Open("text").Attribute("x", Pixels(LabelWidth + length + 6)).Attribute("y", Pixels(y + 15)).Text(valueText).Close("text").Line();
            html.Close("g").Line();
        }

        html.Close("svg").Line();
        html.Close("section").Line();
    }

    private static int Length(ReportValue value, double max) => (int)Math.Round(BarWidth * Math.Max(value.Current ?? 0, 0) / max);

    private static void Rect(HtmlWriter html, string barClass, int y, int length) =>
        html.Open("rect").Attribute("class", barClass).Attribute("x", Pixels(LabelWidth)).Attribute("y", Pixels(y + 2)).Attribute("width", Pixels(length)).Attribute("height", "16").SelfClose().Line();

    /// <summary>
    /// The section "Since the baseline", right after the headline figures: what is compared with what, the headline
    /// table of changes (not sortable: its order is the headline figures'), what could not be compared, a chart of the
    /// largest changes, a trend per headline figure over the reports compared, and the tables of changes (sortable).
    /// </summary>
    private static void WriteComparison(HtmlWriter html, ComparisonSection comparison)
    {
        html.Open("section").Attribute("id", "since-baseline").Attribute("class", "comparison").Line();
        html.Element("h2", comparison.BaselineAsOf is { } baselineAsOf ? "Since " + DayOf(baselineAsOf) : "Since the baseline").Line();
        html.Open("p").Attribute("class", "note").Text(string.Format(
            CultureInfo.InvariantCulture,
            "This report's figures of {0} compared with those of {1} in {2}. Each change is the sum of its parts: the change of the customers in both reports, what the new customers add, and what the gone customers take away; it is now minus then unless a note below says why not.",
            DayOf(comparison.CurrentAsOf),
            DayOf(comparison.BaselineAsOf),
            comparison.BaselineLabel)).Close("p").Line();
        WriteHeadlineChanges(html, comparison.Headline);
        foreach (var note in comparison.NotCompared)
        {
            html.Open("p").Attribute("class", "note").Text(note).Close("p").Line();
        }

        WriteChangeChart(html, comparison.ChangeChart, "h3");
        if (comparison.Trends.Count > 0)
        {
            html.Open("section").Attribute("id", "trends").Attribute("class", "trends").Line();
            html.Element("h3", "Over the reports compared").Line();
            html.Open("div").Attribute("class", "trend-grid").Line();
            foreach (var trend in comparison.Trends)
            {
                WriteTrend(html, trend);
            }

            html.Close("div").Line();
            html.Close("section").Line();
        }

        foreach (var table in comparison.Tables)
        {
            if (table.Rows.Count == 0)
            {
                html.Open("section").Attribute("id", table.Id).Line();
                html.Element("h3", table.Title).Line();
                html.Open("p").Attribute("class", "note").Text("None.").Close("p").Line();
                html.Close("section").Line();
            }
            else
            {
                WriteTable(html, table, "h3", "The first {0} of {1} rows; the headline table above counts them all.");
            }
        }

        html.Close("section").Line();
    }

    /// <summary>The headline table of changes: each figure's row in the order given, its name a row header.</summary>
    private static void WriteHeadlineChanges(HtmlWriter html, ReportTable table)
    {
        html.Open("section").Attribute("id", table.Id).Attribute("class", "headline-changes").Line();
        html.Element("h3", table.Title).Line();
        html.Open("table").Attribute("class", "changes").Line();
        Head(html, table.Columns);
        html.Open("tbody").Line();
        foreach (var row in table.Rows)
        {
            html.Open("tr");
            for (var i = 0; i < row.Cells.Count; i++)
            {
                if (i == 0 && row.Cells[i].Kind == ReportCellKind.Text)
                {
                    html.Open("th").Attribute("scope", "row").Text(row.Cells[i].Text).Close("th");
                }
                else
                {
                    Cell(html, row.Cells[i]);
                }
            }

            html.Close("tr").Line();
        }

        html.Close("tbody").Line();
        html.Close("table").Line();
        html.Close("section").Line();
    }

    /// <summary>
    /// A diverging bar chart of changes, from a middle line: an increase to the right as a dark bar, a decrease to the
    /// left as an outlined light one (they differ in grey-scale by more than their side), each with its name and its
    /// change as text beside the bar's end; the scale is the largest change either way. An unknown change has no bar
    /// and says "unknown".
    /// </summary>
    private static void WriteChangeChart(HtmlWriter html, ChartSeries chart, string heading)
    {
        html.Open("section").Attribute("id", chart.Id).Attribute("class", "change-chart").Line();
        html.Element(heading, chart.Title).Line();
        if (chart.Bars.Count == 0)
        {
            html.Open("p").Attribute("class", "note").Text("Nothing to chart.").Close("p").Line();
            html.Close("section").Line();
            return;
        }

        html.Open("p").Attribute("class", "note").Text("An increase is drawn to the right of the middle line as a dark bar, a decrease to the left as an outlined one.").Close("p").Line();
        var width = Pixels(Axis + HalfWidth + ChangeValueWidth);
        var height = Pixels((chart.Bars.Count * RowHeight) + 4);
        var max = Math.Max(1, chart.Bars.Max(b => Math.Abs(b.Value.Current ?? 0)));
        OpenSvg(html, chart.Title, width, height);
        html.Open("line").Attribute("class", "axis").Attribute("x1", Pixels(Axis)).Attribute("y1", "0").Attribute("x2", Pixels(Axis)).Attribute("y2", height).SelfClose().Line();
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var y = (i * RowHeight) + 2;
            var label = string.IsNullOrEmpty(bar.Label) ? Unknown : bar.Label!;
            var change = bar.Value.Current;
            var direction = change is null ? 0 : Math.Sign(change.Value);

            // A change too small for a pixel still gets one, so that its side shows.
            var length = change is { } c && c != 0 ? Math.Max(1, (int)Math.Round(HalfWidth * Math.Abs(c) / max)) : 0;
            html.Open("g").Attribute("class", direction > 0 ? "up" : direction < 0 ? "down" : "same").Element("title", label + ": " + Shown(bar.Value)).Line();
            html.Open("text").Attribute("x", Pixels(LabelWidth - 6)).Attribute("y", Pixels(y + 15)).Attribute("text-anchor", "end").Text(Shorten(label, LabelLength)).Close("text").Line();
            if (direction < 0)
            {
                html.Open("rect").Attribute("class", "down").Attribute("x", Pixels(Axis - length)).Attribute("y", Pixels(y + 2)).Attribute("width", Pixels(length)).Attribute("height", "16").SelfClose().Line();
                html.Open("text").Attribute("x", Pixels(Axis - length - 6)).Attribute("y", Pixels(y + 15)).Attribute("text-anchor", "end").Text(Shown(bar.Value)).Close("text").Line();
            }
            else
            {
                if (direction > 0)
                {
                    html.Open("rect").Attribute("class", "up").Attribute("x", Pixels(Axis)).Attribute("y", Pixels(y + 2)).Attribute("width", Pixels(length)).Attribute("height", "16").SelfClose().Line();
                }

                html.Open("text").Attribute("x", Pixels(Axis + length + 6)).Attribute("y", Pixels(y + 15)).Text(Shown(bar.Value)).Close("text").Line();
            }

            html.Close("g").Line();
        }

        html.Close("svg").Line();
        html.Close("section").Line();
    }

    /// <summary>
    /// A small line chart of one figure over the reports compared, oldest first: the points equally spaced, each
    /// named under the axis and valued above its marker (this report's filled, the others outlined); the line runs
    /// through the known points only, so that an unknown one is a gap (and says "unknown"), never 0. The height spans
    /// the known values' least to greatest; a flat series is drawn at mid-height.
    /// </summary>
    private static void WriteTrend(HtmlWriter html, TrendSeries trend)
    {
        var count = trend.Points.Count;
        var width = Math.Max(TrendWidth, (2 * TrendMargin) + (TrendSpacing * Math.Max(0, count - 1)));
        var known = trend.Points.Where(p => p.Value.Current is not null).Select(p => p.Value.Current!.Value).ToList();
        var min = known.Count == 0 ? 0 : known.Min();
        var max = known.Count == 0 ? 0 : known.Max();
        const int middle = (TrendTop + TrendBottom) / 2;
        int X(int i) => count == 1 ? width / 2 : TrendMargin + (int)Math.Round((double)(width - (2 * TrendMargin)) * i / (count - 1));
        int Y(double value) => max > min ? TrendBottom - (int)Math.Round((TrendBottom - TrendTop) * (value - min) / (max - min)) : middle;

        html.Open("figure").Attribute("id", trend.Id).Attribute("class", "trend").Line();
        OpenSvg(html, trend.Title, Pixels(width), Pixels(TrendHeight));
        html.Open("line").Attribute("class", "x-axis").Attribute("x1", Pixels(TrendMargin / 2)).Attribute("y1", Pixels(TrendAxis)).Attribute("x2", Pixels(width - (TrendMargin / 2))).Attribute("y2", Pixels(TrendAxis)).SelfClose().Line();

        // One line per run of known points: an unknown point breaks it.
        var run = new List<string>();
        for (var i = 0; i <= count; i++)
        {
            if (i < count && trend.Points[i].Value.Current is { } value)
            {
                run.Add(Pixels(X(i)) + "," + Pixels(Y(value)));
                continue;
            }

            if (run.Count > 1)
            {
                html.Open("polyline").Attribute("class", "line").Attribute("points", string.Join(" ", run)).SelfClose().Line();
            }

            run.Clear();
        }

        for (var i = 0; i < count; i++)
        {
            var point = trend.Points[i];
            var x = Pixels(X(i));
            var pointClass = point.IsCurrent ? "point current" : "point";
            html.Open("g").Attribute("class", point.Value.Current is null ? pointClass + " unknown" : pointClass).Element("title", point.Label + ": " + Shown(point.Value)).Line();
            var y = middle;
            if (point.Value.Current is { } value)
            {
                y = Y(value);
                html.Open("circle").Attribute("cx", x).Attribute("cy", Pixels(y)).Attribute("r", "4").SelfClose().Line();
            }

            html.Open("text").Attribute("class", "point-value").Attribute("x", x).Attribute("y", Pixels(y - 8)).Attribute("text-anchor", "middle").Text(Shown(point.Value)).Close("text").Line();
            html.Open("text").Attribute("class", "point-label").Attribute("x", x).Attribute("y", Pixels(TrendHeight - 8)).Attribute("text-anchor", "middle").Text(point.Label).Close("text").Line();
            html.Close("g").Line();
        }

        html.Close("svg").Line();
        html.Element("figcaption", trend.Title).Line();
        html.Close("figure").Line();
    }

    private static void WriteTable(HtmlWriter html, ReportTable table) =>
        WriteTable(html, table, "h2", "The {0} rows with the most waste of {1} rows read; the figures and charts above count every row.");

    /// <summary>A sortable table under a heading of <paramref name="heading"/>; a capped one says so in <paramref name="capped"/> (the rows kept, of those read).</summary>
    private static void WriteTable(HtmlWriter html, ReportTable table, string heading, string capped)
    {
        html.Open("section").Attribute("id", table.Id).Line();
        html.Element(heading, table.Title).Line();
        if (table.IsCapped)
        {
            html.Open("p").Attribute("class", "note").Text(string.Format(
                CultureInfo.InvariantCulture,
                capped,
                Number(table.Rows.Count),
                Number(table.RowsRead))).Close("p").Line();
        }

        html.Open("table").Attribute("class", "sortable").Line();
        Head(html, table.Columns);
        html.Open("tbody").Line();
        foreach (var row in table.Rows)
        {
            html.Open("tr");
            foreach (var cell in row.Cells)
            {
                Cell(html, cell);
            }

            html.Close("tr").Line();
        }

        html.Close("tbody").Line();
        html.Close("table").Line();
        html.Close("section").Line();
    }

    /// <summary>An inline SVG image of <paramref name="width"/> by <paramref name="height"/> pixels, named by <paramref name="title"/> for readers and tooltips.</summary>
    private static void OpenSvg(HtmlWriter html, string title, string width, string height)
    {
        html.Open("svg")
            .Attribute("xmlns", "http://www.w3.org/2000/svg")
            .Attribute("role", "img")
            .Attribute("aria-label", title)
            .Attribute("width", width)
            .Attribute("height", height)
            .Attribute("viewBox", "0 0 " + width + " " + height)
            .Line();
        html.Element("title", title).Line();
    }

    /// <summary>A table's header row: one column header per column.</summary>
    private static void Head(HtmlWriter html, IReadOnlyList<string> columns)
    {
        html.Open("thead").Open("tr");
        foreach (var column in columns)
        {
            html.Open("th").Attribute("scope", "col").Text(column).Close("th");
        }

        html.Close("tr").Close("thead").Line();
    }

    /// <summary>
    /// A cell: text as it is; a value formatted, with its raw value in data-v for sorting ("" when unknown, shown
    /// empty); a date in UTC.
    /// </summary>
    private static void Cell(HtmlWriter html, ReportCell cell)
    {
        switch (cell.Kind)
        {
            case ReportCellKind.Value:
                var known = cell.Value.Current is not null;
                html.Open("td").Attribute("class", ValueClass("n", cell.Value)).Attribute("data-v", Raw(cell.Value)).Text(known ? Shown(cell.Value) : null).Close("td");
                break;
            case ReportCellKind.Date:
                html.Open("td").Text(cell.Date is { } date ? Date(date) : null).Close("td");
                break;
            default:
                html.Open("td").Text(cell.Text).Close("td");
                break;
        }
    }

    /// <summary>
    /// A value as the page shows it: "unknown" when unknown. A change carries its sign, a minus sign (U+2212) for a
    /// decrease: "+12", "−5", "0"; "+1.5 pts", "−0.3 pts", "0.0 pts".
    /// </summary>
    private static string Shown(ReportValue value) => value.Current switch
    {
        null => Unknown,
        { } v when value.Kind == ReportValueKind.Percent => v.ToString("0.0", CultureInfo.InvariantCulture) + " %",
        { } when value.Kind == ReportValueKind.CountChange => Signed(Direction(value), Math.Abs((decimal)value.CurrentCount!.Value).ToString("N0", CultureInfo.InvariantCulture)),
        { } v when value.Kind == ReportValueKind.PercentChange => Signed(Direction(value), Points(v).ToString("0.0", CultureInfo.InvariantCulture) + " pts"),
        _ => Number(value.CurrentCount!.Value),
    };

    private static string Signed(int direction, string magnitude) => direction switch
    {
        > 0 => "+" + magnitude,
        < 0 => MinusSign + magnitude,
        _ => magnitude,
    };

    // A change of percentage points as it is shown, to one decimal: its sign is that of what is shown, so that a
    // change of −0.04 points is "0.0 pts", neither up nor down.
    private static double Points(double change) => Math.Round(Math.Abs(change), 1, MidpointRounding.AwayFromZero);

    /// <summary>Whether a change, as shown, is an increase (1), a decrease (−1) or none (0); 0 too for anything else.</summary>
    private static int Direction(ReportValue value) => value.Current switch
    {
        { } when value.Kind == ReportValueKind.CountChange => Math.Sign(value.CurrentCount!.Value),
        { } v when value.Kind == ReportValueKind.PercentChange => Points(v) == 0 ? 0 : Math.Sign(v),
        _ => 0,
    };

    /// <summary>
    /// The class of an element showing <paramref name="value"/>: <paramref name="baseClass"/>, and for a change
    /// "change" with "up" or "down", which the style marks by more than colour (a glyph) so that it reads in grey-scale.
    /// </summary>
    private static string ValueClass(string baseClass, ReportValue value)
    {
        if (value.Kind is not (ReportValueKind.CountChange or ReportValueKind.PercentChange))
        {
            return baseClass;
        }

        return Direction(value) switch
        {
            > 0 => baseClass + " change up",
            < 0 => baseClass + " change down",
            _ => baseClass + " change",
        };
    }

    /// <summary>A value as the script sorts it: round-trip digits (a change with its ASCII sign), "" when unknown.</summary>
    private static string Raw(ReportValue value) => value.Current switch
    {
        null => string.Empty,
        { } v when value.Kind is ReportValueKind.Percent or ReportValueKind.PercentChange => v.ToString("R", CultureInfo.InvariantCulture),
        _ => value.CurrentCount!.Value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pixels(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string DayOf(DateTimeOffset? value) => Day(value?.UtcDateTime.Date);

    private static string Day(DateTime? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? Unknown;

    private static string Shorten(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = length - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text.Substring(0, cut) + "…";
    }
}
