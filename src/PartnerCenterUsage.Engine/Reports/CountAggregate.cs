using System;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// License counts summed over rows, known values only: a sum is null (unknown) until a row knows a value for it, so
/// that rows of unknown counts never read as 0. The rows whose counts were unknown are counted. Every sum of the report
/// is made here, row by row (<see cref="AddRow"/>) or aggregate by aggregate (<see cref="Add"/>), by one rule.
/// </summary>
public sealed class CountAggregate
{
    internal CountAggregate(string name) => Name = name;

    /// <summary>The workload or product (empty when the rows did not name it, and for a customer's or the portfolio's counts).</summary>
    public string Name { get; }

    /// <summary>The rows summed.</summary>
    public long Rows { get; private set; }

    /// <summary>Qualified licenses (usage rows); null when no row knew them.</summary>
    public long? Qualified { get; private set; }

    /// <summary>Active licenses (usage rows); null when no row knew them.</summary>
    public long? Active { get; private set; }

    /// <summary>Qualified − active (0 where more are active), summed over the rows that know both; null when none did.</summary>
    public long? Inactive { get; private set; }

    /// <summary>Qualified licenses of the rows that know both counts (the base of <see cref="InactivePercent"/>).</summary>
    public long QualifiedWithActiveKnown { get; private set; }

    /// <summary>Usage rows missing either count.</summary>
    public long UsageRowsUnknown { get; private set; }

    /// <summary>Licenses sold (deployment rows); null when no row knew them.</summary>
    public long? Sold { get; private set; }

    /// <summary>Licenses deployed (deployment rows); null when no row knew them.</summary>
    public long? Deployed { get; private set; }

    /// <summary>Sold − deployed (0 where more are deployed), summed over the rows that know both; null when none did.</summary>
    public long? Unassigned { get; private set; }

    /// <summary>Deployment rows missing either count.</summary>
    public long DeploymentRowsUnknown { get; private set; }

    /// <summary>Units free to assign (subscribed SKU rows); null when no row knew them.</summary>
    public long? AvailableUnits { get; private set; }

    /// <summary>Subscribed SKU rows whose available units are unknown.</summary>
    public long AvailableUnitsUnknown { get; private set; }

    /// <summary>Inactive licenses as a percentage of the qualified ones they were counted from; null when none qualify.</summary>
    public double? InactivePercent => QualifiedWithActiveKnown == 0 ? null : 100.0 * Inactive / QualifiedWithActiveKnown;

    /// <summary>
    /// Adds one row's counts: qualified and active (usage), sold and deployed (deployment), or available units
    /// (subscribed SKUs, <paramref name="second"/> unused).
    /// </summary>
    internal void AddRow(LicenseRowKind kind, long? first, long? second)
    {
        Rows++;
        switch (kind)
        {
            case LicenseRowKind.Usage:
                Qualified = Sum(Qualified, first);
                Active = Sum(Active, second);
                if (Waste(first, second) is { } inactive)
                {
                    // More active than qualified leaves none inactive; it does not cancel another row's inactive licenses.
                    Inactive = Sum(Inactive, inactive);
                    QualifiedWithActiveKnown += first!.Value;
                }
                else
                {
                    UsageRowsUnknown++;
                }

                break;
            case LicenseRowKind.Deployment:
                Sold = Sum(Sold, first);
                Deployed = Sum(Deployed, second);
                if (Waste(first, second) is { } unassigned)
                {
                    // More deployed than sold leaves none unassigned; it does not cancel another row's unassigned licenses.
                    Unassigned = Sum(Unassigned, unassigned);
                }
                else
                {
                    DeploymentRowsUnknown++;
                }

                break;
            default:
                AvailableUnits = Sum(AvailableUnits, first);
                AvailableUnitsUnknown += first is null ? 1 : 0;
                break;
        }
    }

    /// <summary>
    /// Adds a figure read back from a report (<see cref="PartnerCenterUsage.Models.LicenseReportFigure"/>): its sums,
    /// already made by <see cref="AddRow"/>, by the same rule. Its qualified licenses are the base of the inactive share
    /// when its active count is known.
    /// </summary>
    internal void AddFigure(PartnerCenterUsage.Models.LicenseReportFigure figure)
    {
        Rows++;
        switch (figure.Kind)
        {
            case PartnerCenterUsage.Models.LicenseFigureKind.Usage:
                Qualified = Sum(Qualified, figure.LicensesQualified);
                Active = Sum(Active, figure.LicensesActive);
                Inactive = Sum(Inactive, figure.LicensesInactive);
                QualifiedWithActiveKnown += figure.QualifiedWithActiveKnown;
                UsageRowsUnknown += figure.LicensesInactive is null ? 1 : 0;
                break;
            case PartnerCenterUsage.Models.LicenseFigureKind.Deployment:
                Sold = Sum(Sold, figure.LicensesSold);
                Deployed = Sum(Deployed, figure.LicensesDeployed);
                Unassigned = Sum(Unassigned, figure.LicensesUnassigned);
                DeploymentRowsUnknown += figure.LicensesUnassigned is null ? 1 : 0;
                break;
            default:
                AvailableUnits = Sum(AvailableUnits, figure.AvailableUnits);
                AvailableUnitsUnknown += figure.AvailableUnits is null ? 1 : 0;
                break;
        }
    }

    /// <summary>
    /// The waste of one row: its whole less its part (qualified − active, sold − deployed), never below 0 (more in use
    /// than bought cancels no other row's waste); unknown unless both are known. The one place of the rule.
    /// </summary>
    internal static long? Waste(long? whole, long? part) => whole is { } w && part is { } p ? Math.Max(0, w - p) : null;

    /// <summary>Adds the sums of <paramref name="other"/>, by the same rule: unknown plus unknown stays unknown.</summary>
    internal void Add(CountAggregate other)
    {
        Rows += other.Rows;
        Qualified = Sum(Qualified, other.Qualified);
        Active = Sum(Active, other.Active);
        Inactive = Sum(Inactive, other.Inactive);
        QualifiedWithActiveKnown += other.QualifiedWithActiveKnown;
        UsageRowsUnknown += other.UsageRowsUnknown;
        Sold = Sum(Sold, other.Sold);
        Deployed = Sum(Deployed, other.Deployed);
        Unassigned = Sum(Unassigned, other.Unassigned);
        DeploymentRowsUnknown += other.DeploymentRowsUnknown;
        AvailableUnits = Sum(AvailableUnits, other.AvailableUnits);
        AvailableUnitsUnknown += other.AvailableUnitsUnknown;
    }

    private static long? Sum(long? sum, long? value) => value is { } v ? (sum ?? 0) + v : sum;
}
