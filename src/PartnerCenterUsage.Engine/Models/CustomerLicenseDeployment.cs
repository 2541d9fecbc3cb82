using System;
using System.Globalization;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Models;

/// <summary>
/// License deployment of one product of one customer: how many licenses were sold and how many are assigned
/// (deployed). From the commercial analytics (the whole portfolio) and from the per-customer deployment insights.
/// A value Partner Center did not send is null (empty), never a made-up 0; grouped rows carry only the grouped
/// properties and the summed counts.
/// </summary>
public sealed class CustomerLicenseDeployment : ICommercialRow
{
    private double? _deploymentPercent;

    /// <summary>The customer's id (its tenant id), taken from the request when the response omits it.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's company name.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The product's id in the commercial catalog (commercial analytics only).</summary>
    public string? ProductId { get; set; }

    /// <summary>The product, for example MICROSOFT 365 BUSINESS PREMIUM.</summary>
    public string? ProductName { get; set; }

    /// <summary>The service code.</summary>
    public string? ServiceCode { get; set; }

    /// <summary>The service, for example o365.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The sales channel, for example reseller.</summary>
    public string? Channel { get; set; }

    /// <summary>Licenses assigned to users.</summary>
    public long? LicensesDeployed { get; set; }

    /// <summary>Licenses sold.</summary>
    public long? LicensesSold { get; set; }

    /// <summary>
    /// Licenses sold but not assigned: <see cref="LicensesSold"/> − <see cref="LicensesDeployed"/>; empty when either is unknown, or
    /// when a negative count puts the difference past what a count holds.
    /// </summary>
    public long? LicensesUnassigned => PartnerCenterUsage.Engine.Counts.Subtract(LicensesSold, LicensesDeployed);

    /// <summary>
    /// Deployed licenses as a percentage of sold ones: as Partner Center sent it, or computed from the two counts when
    /// it sent none (0 when nothing was sold); empty when neither is known.
    /// </summary>
    public double? DeploymentPercent
    {
        get => _deploymentPercent ?? CustomerLicenseUsage.Percent(LicensesDeployed, LicensesSold);
        set => _deploymentPercent = value;
    }

    /// <summary>When Partner Center computed the figures.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} ({2}/{3} deployed)", CustomerName ?? CustomerId?.ToString(), ProductName, LicensesDeployed, LicensesSold);
}
