using System;
using System.Collections.Generic;

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

    // The customer's counts per workload (usage) and per product (deployment), by day: a workload's or product's figures
    // are the sums of its customers' latest days, so each customer's earlier days can be left out of them alone.
    private Dictionary<string, DailyCounts>? _workloads;
    private Dictionary<string, DailyCounts>? _products;

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

    /// <summary>The counts a row of <paramref name="kind"/> adds to for its workload or product <paramref name="key"/> and <paramref name="day"/>.</summary>
    internal CountAggregate KeyCountsFor(LicenseRowKind kind, string key, DateTime? day)
    {
        var table = kind == LicenseRowKind.Usage
            ? _workloads ??= new Dictionary<string, DailyCounts>(StringComparer.OrdinalIgnoreCase)
            : _products ??= new Dictionary<string, DailyCounts>(StringComparer.OrdinalIgnoreCase);
        if (!table.TryGetValue(key, out var daily))
        {
            daily = new DailyCounts(key);
            table.Add(key, daily);
        }

        return daily.For(day);
    }

    /// <summary>The customer's workload (usage) or product (deployment) counts of its latest day and its undated rows.</summary>
    internal IEnumerable<CountAggregate> ShownByKey(LicenseRowKind kind)
    {
        var table = kind == LicenseRowKind.Usage ? _workloads : _products;
        if (table is null)
        {
            yield break;
        }

        var latest = Daily(kind)?.LatestDay;
        foreach (var daily in table.Values)
        {
            if (daily.ShownAsOf(latest) is { } shown)
            {
                yield return shown;
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
