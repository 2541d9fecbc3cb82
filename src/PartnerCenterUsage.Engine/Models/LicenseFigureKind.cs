namespace PartnerCenterUsage.Models;

/// <summary>Which rows a <see cref="LicenseReportFigure"/> sums, and so which of its counts it has.</summary>
public enum LicenseFigureKind
{
    /// <summary>License usage rows: qualified, active and inactive licenses of one workload of one product.</summary>
    Usage,

    /// <summary>License deployment rows: sold, deployed and unassigned licenses of one product.</summary>
    Deployment,

    /// <summary>Subscribed SKU rows: units available to assign, live (no processed date).</summary>
    SubscribedSku,
}
