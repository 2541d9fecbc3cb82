using System;
using System.Globalization;

namespace PartnerCenterUsage.Models;

/// <summary>
/// License deployment of one product, service and channel aggregated over every customer of the partner: Partner
/// Center's PartnerLicensesDeploymentInsights, the licenses sold and the prorated share of them assigned to users. The
/// per-customer rows are <see cref="CustomerLicenseDeployment"/>. A value Partner Center did not send is null (empty),
/// never a made-up 0.
/// </summary>
public sealed class PartnerLicenseDeployment
{
    /// <summary>The product, for example MICROSOFT 365 BUSINESS PREMIUM.</summary>
    public string? ProductName { get; set; }

    /// <summary>The service, for example o365.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The sales channel, for example reseller.</summary>
    public string? Channel { get; set; }

    /// <summary>Licenses sold, over every customer.</summary>
    public long? LicensesSold { get; set; }

    /// <summary>Licenses assigned to users as a percentage (0 to 100) of sold ones, prorated over every customer, as Partner Center sent it.</summary>
    public double? ProratedDeploymentPercent { get; set; }

    /// <summary>When Partner Center computed the figures.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0} / {1} / {2}: {3} sold, {4}% deployed", ProductName, ServiceName, Channel, LicensesSold, ProratedDeploymentPercent);
}
