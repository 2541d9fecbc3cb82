using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// The section "Since the baseline": this report compared with an earlier one (the latest baseline before it). Its
/// headline table splits each figure's change into the customers in both reports, the new ones and the gone ones; then
/// the customers new and gone, those whose inactive and unassigned licenses grew and shrank the most, usage by workload
/// then and now, a chart of the largest changes, and, with several baselines, a trend per headline figure. What could
/// not be compared (a kind of row only one report has, workloads or products only one has) is said in
/// <see cref="NotCompared"/>.
/// </summary>
public sealed class ComparisonSection
{
    /// <summary>Creates the section; Comparison.ReportComparison is where it comes from.</summary>
    public ComparisonSection(
        string baselineLabel,
        DateTimeOffset? baselineAsOf,
        DateTimeOffset? currentAsOf,
        ReportTable headline,
        IReadOnlyList<ReportTable> tables,
        ChartSeries changeChart,
        IReadOnlyList<TrendSeries> trends,
        IReadOnlyList<string> notCompared)
    {
        BaselineLabel = baselineLabel ?? throw new ArgumentNullException(nameof(baselineLabel));
        BaselineAsOf = baselineAsOf;
        CurrentAsOf = currentAsOf;
        Headline = headline ?? throw new ArgumentNullException(nameof(headline));
        Tables = tables ?? throw new ArgumentNullException(nameof(tables));
        ChangeChart = changeChart ?? throw new ArgumentNullException(nameof(changeChart));
        Trends = trends ?? throw new ArgumentNullException(nameof(trends));
        NotCompared = notCompared ?? throw new ArgumentNullException(nameof(notCompared));
    }

    /// <summary>Which report the baseline is: its file name, or "the rows given".</summary>
    public string BaselineLabel { get; }

    /// <summary>The day the baseline's figures are of (its latest processed day, else when it was made).</summary>
    public DateTimeOffset? BaselineAsOf { get; }

    /// <summary>The day this report's figures are of.</summary>
    public DateTimeOffset? CurrentAsOf { get; }

    /// <summary>
    /// One row per headline figure: then, now, the change, and the change's parts (customers in both; new customers'
    /// figures; gone customers' figures, negated), which add up to the change.
    /// </summary>
    public ReportTable Headline { get; }

    /// <summary>
    /// In page order: new customers, gone customers, the largest increases and decreases of inactive and of unassigned
    /// licenses, usage by workload then and now (each only where the rows allow it).
    /// </summary>
    public IReadOnlyList<ReportTable> Tables { get; }

    /// <summary>The customers whose inactive licenses changed the most, drawn from a middle line: more to the right, fewer to the left.</summary>
    public ChartSeries ChangeChart { get; }

    /// <summary>With several baselines, each headline figure over them and this report, oldest first; empty with one baseline.</summary>
    public IReadOnlyList<TrendSeries> Trends { get; }

    /// <summary>What the comparison could not compare, in words.</summary>
    public IReadOnlyList<string> NotCompared { get; }
}
