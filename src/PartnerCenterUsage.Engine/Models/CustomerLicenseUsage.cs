using System;
using System.Globalization;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Models;

/// <summary>
/// License usage of one product workload of one customer: Partner Center's CustomerLicensesUsageInsights (one
/// customer) and the commercial analytics' license usage rows (the whole portfolio), in one type so that a script
/// works with either. Flat and scalar so that Where-Object, Sort-Object, Group-Object and Export-Csv work on it as it
/// is. A value Partner Center did not send is null (empty), never a made-up 0. In rows grouped on the service
/// (Get-PCLicenseUsage -GroupBy) only the grouped properties and the summed counts are set.
/// </summary>
public sealed class CustomerLicenseUsage : ICommercialRow
{
    private double? _usagePercent;

    /// <summary>The customer's id (its tenant id), taken from the request when the response omits it.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's company name.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The product's id in the commercial catalog (commercial analytics only).</summary>
    public string? ProductId { get; set; }

    /// <summary>The product, for example OFFICE 365 BUSINESS ESSENTIALS.</summary>
    public string? ProductName { get; set; }

    /// <summary>The service code.</summary>
    public string? ServiceCode { get; set; }

    /// <summary>The service, for example o365.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The workload code.</summary>
    public string? WorkloadCode { get; set; }

    /// <summary>The workload, for example Exchange or SharePoint.</summary>
    public string? WorkloadName { get; set; }

    /// <summary>The sales channel, for example reseller.</summary>
    public string? Channel { get; set; }

    /// <summary>Licenses in active use for the workload.</summary>
    public long? LicensesActive { get; set; }

    /// <summary>Licenses that qualify for the workload.</summary>
    public long? LicensesQualified { get; set; }

    /// <summary>
    /// Qualified licenses not in active use: <see cref="LicensesQualified"/> − <see cref="LicensesActive"/>; empty when either is unknown, or
    /// when a negative count puts the difference past what a count holds.
    /// </summary>
    public long? LicensesInactive => PartnerCenterUsage.Engine.Counts.Subtract(LicensesQualified, LicensesActive);

    /// <summary>
    /// Active licenses as a percentage (0 to 100) of qualified ones: as Partner Center sent it, or computed from the
    /// two counts when it sent none (0 when nothing qualifies); empty when neither is known.
    /// </summary>
    public double? UsagePercent
    {
        get => _usagePercent ?? Percent(LicensesActive, LicensesQualified);
        set => _usagePercent = value;
    }

    /// <summary>When Partner Center computed the figures.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} / {2} ({3}/{4})", CustomerName ?? CustomerId?.ToString(), ProductName, WorkloadName, LicensesActive, LicensesQualified);

    /// <summary><paramref name="part"/> ÷ <paramref name="whole"/> × 100, unrounded (the views round it); 0 when the whole is 0.</summary>
    internal static double? Percent(long? part, long? whole) =>
        part is { } p && whole is { } w ? (w == 0 ? 0 : 100.0 * p / w) : null;
}
