using System;
using System.Globalization;

namespace PartnerCenterUsage.Models;

/// <summary>
/// License usage of one workload, service and channel aggregated over every customer of the partner: Partner Center's
/// PartnerLicensesUsageInsights. There are no customers and no counts in it, only the prorated share of licenses in use;
/// the per-customer rows are <see cref="CustomerLicenseUsage"/>. A value Partner Center did not send is null (empty),
/// never a made-up 0.
/// </summary>
public sealed class PartnerLicenseUsage
{
    /// <summary>The workload, for example Exchange or SharePoint.</summary>
    public string? WorkloadName { get; set; }

    /// <summary>The service, for example o365.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The sales channel, for example reseller.</summary>
    public string? Channel { get; set; }

    /// <summary>Licenses in active use as a percentage (0 to 100) of qualified ones, prorated over every customer, as Partner Center sent it.</summary>
    public double? ProratedLicensesUsagePercent { get; set; }

    /// <summary>When Partner Center computed the figures.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0} / {1} / {2}: {3}%", WorkloadName, ServiceName, Channel, ProratedLicensesUsagePercent);
}
