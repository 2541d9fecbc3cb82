using System;

namespace PartnerCenterUsage.Engine.Reports.Comparison;

/// <summary>One customer's figures in a <see cref="LicenseSnapshot"/>: its usage, deployment and available units, each only when it had such rows.</summary>
internal sealed class SnapshotCustomer
{
    public SnapshotCustomer(Guid? id, string? name)
    {
        Id = id;
        Name = name;
    }

    public Guid? Id { get; }

    public string? Name { get; }

    /// <summary>The name, else the id, else "unknown".</summary>
    public string DisplayName => Name ?? Id?.ToString("D") ?? "unknown";

    /// <summary>Usage sums; null when the customer had no usage figure.</summary>
    public CountAggregate? Usage { get; set; }

    /// <summary>Deployment sums; null when the customer had no deployment figure.</summary>
    public CountAggregate? Deployment { get; set; }

    /// <summary>Subscribed SKU sums; null when the customer had no SKU figure.</summary>
    public CountAggregate? Skus { get; set; }
}
