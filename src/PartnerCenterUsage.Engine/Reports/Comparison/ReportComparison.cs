using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PartnerCenterUsage.Engine.Reports.Model;

namespace PartnerCenterUsage.Engine.Reports.Comparison;

/// <summary>
/// Compares a report with its baselines (earlier reports): the pure rules of the section "Since the baseline"
/// (<see cref="ComparisonSection"/>). The baseline is the latest one before the report; customers are matched by id,
/// else by name where a report lacks the id; a figure's change is split into what the customers in both reports changed,
/// what the new customers add and what the gone customers took away, and the three add up to it. Sums are of known values
/// only, as everywhere in the report: unknown stays unknown. A kind of row only one report has is not compared, and the
/// section says so.
/// </summary>
public static class ReportComparison
{
    /// <summary>The most customers the lists of new and gone customers name (their counts count them all).</summary>
    public const int ListCap = 100;

    private static readonly ComparedFigure[] HeadlineFigures =
    [
        new("Licenses qualified", s => s.HasUsage, c => c.Usage, CountField.Qualified),
        new("Licenses active", s => s.HasUsage, c => c.Usage, CountField.Active),
        new("Licenses inactive", s => s.HasUsage, c => c.Usage, CountField.Inactive),
        new("Licenses sold", s => s.HasDeployment, c => c.Deployment, CountField.Sold),
        new("Licenses deployed", s => s.HasDeployment, c => c.Deployment, CountField.Deployed),
        new("Licenses unassigned", s => s.HasDeployment, c => c.Deployment, CountField.Unassigned),
        new("Units available", s => s.HasSkus, c => c.Skus, CountField.AvailableUnits),
    ];

    private static readonly string[] HeadlineColumns = ["Figure", "Then", "Now", "Change", "Customers in both", "New customers", "Gone customers"];
    private static readonly string[] CustomerColumns = ["Customer", "Qualified", "Inactive", "Sold", "Unassigned", "Available units"];
    private static readonly string[] ChangeColumns = ["Customer", "Then", "Now", "Change"];

    /// <summary>
    /// The section comparing <paramref name="current"/> with the latest of <paramref name="baselines"/> before it (with
    /// all of them, for the trends); <paramref name="top"/> customers in each ranking.
    /// </summary>
    public static ComparisonSection Compare(LicenseSnapshot current, IReadOnlyList<LicenseSnapshot> baselines, int top)
    {
        if (current is null)
        {
            throw new ArgumentNullException(nameof(current));
        }

        if (baselines is null || baselines.Count == 0)
        {
            throw new ArgumentException("A comparison needs a baseline.", nameof(baselines));
        }

        top = Math.Max(1, top);
        var notes = new List<string>();
        var tooLarge = new HashSet<string>(StringComparer.Ordinal);
        var baseline = Choose(current, baselines, notes);
        var (both, added, gone, byName, shared) = Match(current, baseline);

        var headline = Headline(current, baseline, both, added, gone, notes, tooLarge);
        var tables = new List<ReportTable>
        {
            CustomerList("table-new-customers", "New customers: in this report, not in the baseline", added, ListCap),
            CustomerList("table-gone-customers", "Gone customers: in the baseline, not in this report", gone, ListCap),
        };

        var comparable = new List<(string Kind, ComparedFigure Figure)>();
        if (current.HasUsage && baseline.HasUsage)
        {
            comparable.Add(("inactive", HeadlineFigures.Single(f => f.Field == CountField.Inactive)));
        }

        if (current.HasDeployment && baseline.HasDeployment)
        {
            comparable.Add(("unassigned", HeadlineFigures.Single(f => f.Field == CountField.Unassigned)));
        }

        var inactiveChanges = new List<(SnapshotCustomer Customer, long Then, long Now, long Change)>();
        foreach (var (kind, figure) in comparable)
        {
            var changes = Pairs(both, figure, tooLarge).Known
                .Where(p => p.Then != p.Now)
                .ToList();
            if (kind == "inactive")
            {
                inactiveChanges = changes;
            }

            var up = changes.Where(c => c.Change > 0).OrderByDescending(c => c.Change).ThenBy(c => c.Customer.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
            var down = changes.Where(c => c.Change < 0).OrderBy(c => c.Change).ThenBy(c => c.Customer.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
            tables.Add(ChangeTable("table-" + kind + "-up", string.Format(CultureInfo.InvariantCulture, "The largest increases of {0} licenses", kind), up, top));
            tables.Add(ChangeTable("table-" + kind + "-down", string.Format(CultureInfo.InvariantCulture, "The largest decreases of {0} licenses", kind), down, top));
        }

        if (current.HasUsage && baseline.HasUsage)
        {
            tables.Add(Workloads(current, baseline, notes));
        }

        if (current.HasDeployment && baseline.HasDeployment)
        {
            NoteOnlyInOne(current.Products.Keys, baseline.Products.Keys, "Products", notes);
        }

        if (byName > 0)
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1} matched by name: one of the reports lacks {2} id.", Number(byName), byName == 1 ? "customer is" : "customers are", byName == 1 ? "its" : "their"));
        }

        if (shared > 0)
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1} not matched, and {2} as new: the baseline has several customers of {3} name and one of the reports lacks the id that would tell them apart.", Number(shared), shared == 1 ? "customer is" : "customers are", shared == 1 ? "is counted" : "are counted", shared == 1 ? "its" : "their"));
        }

        foreach (var snapshot in baselines.Append(current).Where(s => s.RepeatedFigures > 0))
        {
            notes.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1} of {2} given more than once (the same report twice) {3} counted once.", Number(snapshot.RepeatedFigures), snapshot.RepeatedFigures == 1 ? "figure" : "figures", snapshot.Label, snapshot.RepeatedFigures == 1 ? "is" : "are"));
        }

        var chart = new ChartSeries(
            "chart-inactive-change",
            string.Format(CultureInfo.InvariantCulture, "Top {0} changes of inactive licenses since {1}", top, Day(baseline.AsOf)),
            inactiveChanges
                .OrderByDescending(p => Magnitude(p.Change))
                .ThenBy(p => p.Customer.DisplayName, StringComparer.OrdinalIgnoreCase)
                .Take(top)
                .Select(p => new ChartBar(p.Customer.DisplayName, ReportValue.CountChange(p.Change)))
                .ToList(),
            diverging: true);

        var trends = Trends(current, baselines, tooLarge);
        if (tooLarge.Count > 0)
        {
            notes.Add(string.Format(
                CultureInfo.InvariantCulture,
                "Too large to count: sums or changes of {0} went past {1}, the most a count holds, and are shown as unknown, never as a number of the other sign.",
                string.Join(", ", HeadlineFigures.Where(f => tooLarge.Contains(f.Label)).Select(f => f.Label.ToLowerInvariant())),
                Counts.Largest));
        }

        return new ComparisonSection(baseline.Label, baseline.AsOf, current.AsOf, headline, tables, chart, trends, notes);
    }

    // The latest baseline before the report; when none is earlier, the latest of them, and the page says so.
    private static LicenseSnapshot Choose(LicenseSnapshot current, IReadOnlyList<LicenseSnapshot> baselines, List<string> notes)
    {
        var earlier = baselines.Where(b => b.AsOf is { } asOf && current.AsOf is { } now && asOf < now).OrderByDescending(b => b.AsOf).FirstOrDefault();
        if (earlier is not null)
        {
            return earlier;
        }

        var latest = baselines.OrderByDescending(b => b.AsOf ?? DateTimeOffset.MinValue).First();
        notes.Add(string.Format(CultureInfo.InvariantCulture, "The baseline {0} ({1}) is not earlier than this report ({2}): the changes are from it all the same.", latest.Label, Day(latest.AsOf), Day(current.AsOf)));
        return latest;
    }

    private static (List<(SnapshotCustomer Now, SnapshotCustomer Then)> Both, List<SnapshotCustomer> Added, List<SnapshotCustomer> Gone, int ByName, int Shared) Match(LicenseSnapshot current, LicenseSnapshot baseline)
    {
        var both = new List<(SnapshotCustomer, SnapshotCustomer)>();
        var added = new List<SnapshotCustomer>();
        var matched = new HashSet<SnapshotCustomer>();
        var byName = 0;
        var shared = 0;
        foreach (var customer in current.Customers)
        {
            if (baseline.Find(customer, out var nameShared) is { } then && matched.Add(then))
            {
                both.Add((customer, then));
                byName += (customer.Id is null || then.Id is null) && customer.Name is not null ? 1 : 0;
            }
            else
            {
                added.Add(customer);
                shared += nameShared ? 1 : 0;
            }
        }

        var gone = baseline.Customers.Where(c => !matched.Contains(c)).ToList();
        return (both, added, gone, byName, shared);
    }

    // Each customer in both reports whose figure both know, with its value then and now and its change; the customers in
    // both that know it in one report only are counted apart. A value or change too large to count is no known change:
    // it is named in tooLarge, and left out as unknown.
    private static (List<(SnapshotCustomer Customer, long Then, long Now, long Change)> Known, int OneSided, bool TooLarge) Pairs(
        List<(SnapshotCustomer Now, SnapshotCustomer Then)> both, ComparedFigure figure, HashSet<string> tooLarge)
    {
        var known = new List<(SnapshotCustomer, long, long, long)>();
        var oneSided = 0;
        var large = false;
        foreach (var (now, then) in both)
        {
            if (figure.IsTooLarge(now) || figure.IsTooLarge(then))
            {
                large = true;
                continue;
            }

            var (a, b) = (figure.Of(then), figure.Of(now));
            if (a is { } t && b is { } n)
            {
                if (Counts.Subtract(n, t) is { } change)
                {
                    known.Add((now, t, n, change));
                }
                else
                {
                    large = true;
                }
            }
            else if (a is not null || b is not null)
            {
                oneSided++;
            }
        }

        if (large)
        {
            tooLarge.Add(figure.Label);
        }

        return (known, oneSided, large);
    }

    private static ReportTable Headline(
        LicenseSnapshot current,
        LicenseSnapshot baseline,
        List<(SnapshotCustomer Now, SnapshotCustomer Then)> both,
        List<SnapshotCustomer> added,
        List<SnapshotCustomer> gone,
        List<string> notes,
        HashSet<string> tooLarge)
    {
        var rows = new List<ReportRow>
        {
            new([
                ReportCell.OfText("Customers"),
                Count(baseline.CustomerCount),
                Count(current.CustomerCount),
                Change(current.CustomerCount - (long)baseline.CustomerCount),
                Change(0),
                Change(added.Count),
                Change(-(long)gone.Count),
            ]),
        };

        var oneSidedFigures = new List<(string Label, int Customers)>();
        foreach (var figure in HeadlineFigures)
        {
            var (hasNow, hasThen) = (figure.Has(current), figure.Has(baseline));
            if (!hasNow && !hasThen)
            {
                continue;
            }

            var now = hasNow ? Sum(current.Customers, figure, tooLarge) : null;
            var then = hasThen ? Sum(baseline.Customers, figure, tooLarge) : null;
            long? inBoth = null, fromNew = null, fromGone = null, change = null;
            if (hasNow && hasThen)
            {
                // The customers in both change by what both reports know of them; one a report does not know (an
                // unknown count, or no such rows) has no change, not a change from or to 0, and the change leaves it out.
                var (known, oneSided, large) = Pairs(both, figure, tooLarge);
                inBoth = large ? null : known.Count > 0 || oneSided == 0 ? SumOf(known.Select(p => (long?)p.Change), figure, tooLarge) : null;
                fromNew = Sum(added, figure, tooLarge, out var newTooLarge) ?? (newTooLarge ? null : 0);
                fromGone = Sum(gone, figure, tooLarge, out var goneTooLarge) is { } goneSum ? Counts.Negate(goneSum) : (goneTooLarge ? null : 0);
                change = Counts.Add(Counts.Add(inBoth, fromNew), fromGone);
                if (inBoth is not null && fromNew is not null && fromGone is not null && change is null)
                {
                    tooLarge.Add(figure.Label);
                }

                if (oneSided > 0)
                {
                    oneSidedFigures.Add((figure.Label, oneSided));
                }
            }

            rows.Add(new([
                ReportCell.OfText(figure.Label),
                Count(then),
                Count(now),
                Change(change),
                Change(inBoth),
                Change(fromNew),
                Change(fromGone),
            ]));

            if (figure.Label == "Licenses inactive")
            {
                var shareNow = hasNow ? Usage(current.Customers).InactivePercent : null;
                var shareThen = hasThen ? Usage(baseline.Customers).InactivePercent : null;
                rows.Add(new([
                    ReportCell.OfText("Inactive share"),
                    ReportCell.OfValue(ReportValue.Percent(shareThen)),
                    ReportCell.OfValue(ReportValue.Percent(shareNow)),
                    ReportCell.OfValue(ReportValue.PercentChange(shareNow is { } n && shareThen is { } t ? n - t : null)),
                    ReportCell.OfValue(ReportValue.PercentChange(null)),
                    ReportCell.OfValue(ReportValue.PercentChange(null)),
                    ReportCell.OfValue(ReportValue.PercentChange(null)),
                ]));
            }
        }

        if (oneSidedFigures.Count > 0)
        {
            notes.Add("Known in one report only, for customers in both (an unknown count, or no such rows in the other report): "
                + string.Join("; ", oneSidedFigures.Select(f => string.Format(CultureInfo.InvariantCulture, "{0}, {1} {2}", f.Label.ToLowerInvariant(), Number(f.Customers), f.Customers == 1 ? "customer" : "customers")))
                + ". Their figures count in the totals then and now, and in no change: a change here is the sum of its parts, not now minus then.");
        }

        foreach (var (what, figures, has) in new (string, string, Func<LicenseSnapshot, bool>)[]
        {
            ("usage", "qualified, active and inactive licenses and usage by workload", s => s.HasUsage),
            ("deployment", "sold, deployed and unassigned licenses", s => s.HasDeployment),
            ("subscribed SKU", "units available", s => s.HasSkus),
        })
        {
            if (has(current) != has(baseline))
            {
                notes.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} has no {1} rows: {2} are not compared.",
                    has(current) ? "The baseline" : "This report",
                    what,
                    figures));
            }
        }

        if (added.Count + gone.Count > 0)
        {
            notes.Add(string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} only in this report and {2} only in the baseline: the headline table shows what they add and take away, apart from the changes of the {3} {4} in both.",
                Number(added.Count),
                added.Count == 1 ? "customer is" : "customers are",
                Number(gone.Count),
                Number(both.Count),
                both.Count == 1 ? "customer" : "customers"));
        }

        return new ReportTable("table-headline-changes", "Headline figures then and now", HeadlineColumns, rows, rows.Count);
    }

    private static ReportTable CustomerList(string id, string title, List<SnapshotCustomer> customers, int cap)
    {
        var rows = customers
            .OrderByDescending(c => c.Usage?.Inactive ?? long.MinValue)
            .ThenByDescending(c => c.Deployment?.Unassigned ?? long.MinValue)
            .ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(cap)
            .Select(c => new ReportRow([
                ReportCell.OfText(c.DisplayName),
                Count(c.Usage?.Qualified),
                Count(c.Usage?.Inactive),
                Count(c.Deployment?.Sold),
                Count(c.Deployment?.Unassigned),
                Count(c.Skus?.AvailableUnits),
            ]))
            .ToList();
        return new ReportTable(id, title, CustomerColumns, rows, customers.Count);
    }

    private static ReportTable ChangeTable(string id, string title, List<(SnapshotCustomer Customer, long Then, long Now, long Change)> changes, int top) =>
        new(
            id,
            title,
            ChangeColumns,
            changes.Take(top).Select(c => new ReportRow([ReportCell.OfText(c.Customer.DisplayName), Count(c.Then), Count(c.Now), Change(c.Change)])).ToList(),
            changes.Count);

    private static ReportTable Workloads(LicenseSnapshot current, LicenseSnapshot baseline, List<string> notes)
    {
        var names = current.Workloads.Keys.Union(baseline.Workloads.Keys, StringComparer.OrdinalIgnoreCase).ToList();
        var rows = names
            .Select(name => (Name: name, Now: current.Workloads.TryGetValue(name, out var now) ? now : null, Then: baseline.Workloads.TryGetValue(name, out var then) ? then : null))
            .OrderByDescending(w => w.Now?.Qualified ?? long.MinValue)
            .ThenByDescending(w => w.Then?.Qualified ?? long.MinValue)
            .ThenBy(w => w.Name, StringComparer.OrdinalIgnoreCase)
            .Select(w =>
            {
                var (usageThen, usageNow) = (UsagePercent(w.Then), UsagePercent(w.Now));
                return new ReportRow([
                    ReportCell.OfText(w.Name.Length == 0 ? null : w.Name),
                    Count(w.Then?.Qualified),
                    Count(w.Now?.Qualified),
                    Count(w.Then?.Active),
                    Count(w.Now?.Active),
                    ReportCell.OfValue(ReportValue.Percent(usageThen)),
                    ReportCell.OfValue(ReportValue.Percent(usageNow)),
                    ReportCell.OfValue(ReportValue.PercentChange(usageNow is { } n && usageThen is { } t ? n - t : null)),
                ]);
            })
            .ToList();
        NoteOnlyInOne(current.Workloads.Keys, baseline.Workloads.Keys, "Workloads", notes);
        return new ReportTable(
            "table-workloads-compared",
            "Usage by workload then and now (active of qualified)",
            ["Workload", "Qualified then", "Qualified now", "Active then", "Active now", "Usage then", "Usage now", "Change"],
            rows,
            rows.Count);
    }

    private static void NoteOnlyInOne(IEnumerable<string> now, IEnumerable<string> then, string what, List<string> notes)
    {
        var onlyNow = now.Except(then, StringComparer.OrdinalIgnoreCase).Select(Named).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        var onlyThen = then.Except(now, StringComparer.OrdinalIgnoreCase).Select(Named).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        if (onlyNow.Count + onlyThen.Count == 0)
        {
            return;
        }

        var parts = new List<string>();
        if (onlyNow.Count > 0)
        {
            parts.Add("only in this report: " + string.Join(", ", onlyNow));
        }

        if (onlyThen.Count > 0)
        {
            parts.Add("only in the baseline: " + string.Join(", ", onlyThen));
        }

        notes.Add(what + " " + string.Join("; ", parts) + ". Their licenses count in the totals of the report they are in; they have no change of their own.");
    }

    private static string Named(string name) => name.Length == 0 ? "(unnamed)" : name;

    private static List<TrendSeries> Trends(LicenseSnapshot current, IReadOnlyList<LicenseSnapshot> baselines, HashSet<string> tooLarge)
    {
        var trends = new List<TrendSeries>();
        if (baselines.Count < 2)
        {
            return trends;
        }

        // Oldest first, this report among them where its day puts it (a baseline may be later); this report last among equals.
        var reports = baselines.Select((b, i) => (Report: b, Order: i)).Append((Report: current, Order: int.MaxValue))
            .OrderBy(r => r.Report.AsOf ?? DateTimeOffset.MinValue).ThenBy(r => r.Order).Select(r => r.Report).ToList();
        trends.Add(Trend("trend-customers", "Customers", reports, current, _ => true, s => ReportValue.Count(s.CustomerCount)));
        foreach (var figure in HeadlineFigures)
        {
            if (reports.Any(figure.Has))
            {
                trends.Add(Trend("trend-" + figure.Slug, figure.Label, reports, current, figure.Has, s => ReportValue.Count(Sum(s.Customers, figure, tooLarge))));
            }

            if (figure.Label == "Licenses inactive" && reports.Any(s => s.HasUsage))
            {
                trends.Add(Trend("trend-inactive-share", "Inactive share", reports, current, s => s.HasUsage, s => ReportValue.Percent(Usage(s.Customers).InactivePercent)));
            }
        }

        return trends;
    }

    private static TrendSeries Trend(string id, string title, List<LicenseSnapshot> reports, LicenseSnapshot current, Func<LicenseSnapshot, bool> has, Func<LicenseSnapshot, ReportValue> value) =>
        new(id, title, reports.Select(s => new TrendPoint(Day(s.AsOf), s.AsOf, has(s) ? value(s) : Unknown(value(s).Kind), ReferenceEquals(s, current))).ToList());

    private static ReportValue Unknown(ReportValueKind kind) => kind == ReportValueKind.Percent ? ReportValue.Percent(null) : ReportValue.Count(null);

    private static CountAggregate Usage(IEnumerable<SnapshotCustomer> customers)
    {
        var total = new CountAggregate(string.Empty);
        foreach (var customer in customers)
        {
            if (customer.Usage is { } usage)
            {
                total.Add(usage);
            }
        }

        return total;
    }

    private static double? UsagePercent(CountAggregate? usage) =>
        usage?.Qualified is { } qualified and > 0 && usage.Active is { } active ? 100.0 * active / qualified : null;

    private static long? Sum(IEnumerable<SnapshotCustomer> customers, ComparedFigure figure, HashSet<string> tooLarge) =>
        Sum(customers, figure, tooLarge, out _);

    // The customers' known values of the figure summed; null when none knows it, and when a customer's sum or the total
    // is too large to count (isTooLarge, and the figure named in tooLarge).
    private static long? Sum(IEnumerable<SnapshotCustomer> customers, ComparedFigure figure, HashSet<string> tooLarge, out bool isTooLarge)
    {
        isTooLarge = customers.Any(figure.IsTooLarge);
        var sum = isTooLarge ? null : SumOf(customers.Select(figure.Of), figure, tooLarge);
        isTooLarge |= sum is null && customers.Any(c => figure.Of(c) is not null);
        if (isTooLarge)
        {
            tooLarge.Add(figure.Label);
        }

        return sum;
    }

    // Known values summed (unknown ones left out); null when none is known or the sum is too large to count.
    private static long? SumOf(IEnumerable<long?> values, ComparedFigure figure, HashSet<string> tooLarge)
    {
        long? sum = null;
        foreach (var value in values)
        {
            if (value is not { } known)
            {
                continue;
            }

            if ((sum = sum is null ? known : Counts.Add(sum, known)) is null)
            {
                tooLarge.Add(figure.Label);
                return null;
            }
        }

        return sum;
    }

    // How far a change is from none, for ranking: the least long has no opposite, and is the farthest.
    private static long Magnitude(long change) => change == long.MinValue ? long.MaxValue : Math.Abs(change);

    private static ReportCell Count(long? value) => ReportCell.OfValue(ReportValue.Count(value));

    private static ReportCell Change(long? value) => ReportCell.OfValue(ReportValue.CountChange(value));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset? day) => day?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "an unknown day";
}
