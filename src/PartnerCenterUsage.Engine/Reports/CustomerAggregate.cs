using System;
using System.Collections.Generic;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// One customer's figures across the rows read: its usage and deployment counts of the processed days the report
/// shows (see <see cref="LicenseReportBuilder"/>), and its units available.
/// </summary>
public sealed class CustomerAggregate
{
    private static readonly CountAggregate None = new(string.Empty);
    private DailyCounts? _usage;
    private DailyCounts? _deployment;
    private CountAggregate? _skus;

    // The customer's figures: its counts per product and workload (usage), per product (deployment) and per SKU, by day.
    // A workload's or product's totals are the sums of its customers' latest days, so each customer's earlier days can
    // be left out of them alone; the figures are also what the page carries as data (Data/LicenseReportData).
    private Dictionary<FigureKey, DailyCounts>? _figures;

    internal CustomerAggregate(Guid? id, string? name)
    {
        CustomerId = id;
        Name = string.IsNullOrEmpty(name) ? null : name;
    }

    /// <summary>The customer's id, when the rows carried it.</summary>
    public Guid? CustomerId { get; internal set; }

    /// <summary>The customer's name, when any row carried it.</summary>
    public string? Name { get; internal set; }

    /// <summary>The name, else the id, else "unknown".</summary>
    public string DisplayName => Name ?? CustomerId?.ToString("D") ?? "unknown";

    /// <summary>Whether usage rows of a day the report shows were read for the customer.</summary>
    public bool HasUsage { get; private set; }

    /// <summary>Whether deployment rows of a day the report shows were read for the customer.</summary>
    public bool HasDeployment { get; private set; }

    /// <summary>Whether subscribed SKU rows were read for the customer.</summary>
    public bool HasSkus => _skus is not null;

    /// <summary>Whether any row the report shows is the customer's: it is one of the report's customers.</summary>
    public bool IsShown => HasUsage || HasDeployment || HasSkus;

    /// <summary>The customer's usage figures (of the days the report shows).</summary>
    public CountAggregate Usage { get; private set; } = None;

    /// <summary>The customer's deployment figures (of the days the report shows).</summary>
    public CountAggregate Deployment { get; private set; } = None;

    /// <summary>Units free to assign over the customer's SKU rows that know them; null when none did.</summary>
    public long? AvailableUnits => _skus?.AvailableUnits;

    /// <summary>The SKU rows' counts, when any.</summary>
    internal CountAggregate? Skus => _skus;

    /// <summary>The customer's rows of <paramref name="kind"/> by processed day, when any.</summary>
    internal DailyCounts? Daily(LicenseRowKind kind) => kind == LicenseRowKind.Usage ? _usage : _deployment;

    /// <summary>The counts a row of <paramref name="kind"/> and <paramref name="day"/> adds to.</summary>
    internal CountAggregate CountsFor(LicenseRowKind kind, DateTime? day) => kind switch
    {
        LicenseRowKind.Usage => (_usage ??= new DailyCounts(string.Empty)).For(day),
        LicenseRowKind.Deployment => (_deployment ??= new DailyCounts(string.Empty)).For(day),
        _ => _skus ??= new CountAggregate(string.Empty),
    };

    /// <summary>The counts a row adds to for its figure <paramref name="key"/> and <paramref name="day"/>; a new figure's names come from <paramref name="names"/>.</summary>
    internal CountAggregate FigureCountsFor(FigureKey key, DateTime? day, Dictionary<string, string> names)
    {
        _figures ??= new Dictionary<FigureKey, DailyCounts>();
        if (!_figures.TryGetValue(key, out var daily))
        {
            key = key.Pooled(names);
            daily = new DailyCounts(key.GroupName);
            _figures.Add(key, daily);
        }

        return daily.For(day);
    }

    /// <summary>
    /// The customer's figures of the days shown: each one's counts of the customer's latest day of its kind and of its
    /// undated rows, with that day (null when it has only undated rows). Subscribed SKU figures are undated.
    /// </summary>
    internal IEnumerable<(FigureKey Key, DateTime? Day, CountAggregate Counts)> ShownFigures()
    {
        if (_figures is null)
        {
            yield break;
        }

        foreach (var figure in _figures)
        {
            var kind = figure.Key.Kind;
            var latest = kind == LicenseFigureKind.SubscribedSku ? null : Daily(kind == LicenseFigureKind.Usage ? LicenseRowKind.Usage : LicenseRowKind.Deployment)?.LatestDay;
            if (figure.Value.ShownAsOf(latest) is { } shown)
            {
                yield return (figure.Key, latest is { } day && figure.Value.Has(day) ? day : null, shown);
            }
        }
    }

    /// <summary>The customer's workload (usage) or product (deployment) counts of its latest day and its undated rows.</summary>
    internal IEnumerable<CountAggregate> ShownByKey(LicenseRowKind kind)
    {
        var figureKind = kind == LicenseRowKind.Usage ? LicenseFigureKind.Usage : LicenseFigureKind.Deployment;
        foreach (var figure in ShownFigures())
        {
            if (figure.Key.Kind == figureKind)
            {
                yield return figure.Counts;
            }
        }
    }

    /// <summary>True when a row of <paramref name="kind"/> of <paramref name="day"/> is shown: undated, or of the customer's latest day.</summary>
    internal bool ShowsDay(LicenseRowKind kind, DateTime? day) => day is null || day == Daily(kind)?.LatestDay;

    /// <summary>Takes the counts of the days shown: for usage and for deployment each, the customer's own latest day and its undated rows.</summary>
    internal void Show()
    {
        var usage = _usage?.ShownAsOf(_usage.LatestDay);
        var deployment = _deployment?.ShownAsOf(_deployment.LatestDay);
        (HasUsage, Usage) = (usage is not null, usage ?? None);
        (HasDeployment, Deployment) = (deployment is not null, deployment ?? None);
    }
}
