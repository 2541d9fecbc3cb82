using System;

namespace PartnerCenterUsage.Models;

/// <summary>
/// One figure of a license report, as the report counted it and as Import-PCLicenseReport reads it back from the page:
/// the licenses of one customer, product and workload (usage), one customer and product (deployment) or one customer
/// and SKU (subscribed SKUs), summed over the rows of the processed day the report shows for that customer. Flat and
/// scalar, for Where-Object, Compare-Object and Export-Csv. A count no row knew is null (empty), never 0; the counts a
/// kind does not have are null too.
/// </summary>
public sealed class LicenseReportFigure
{
    /// <summary>Which rows the figure sums: Usage, Deployment or SubscribedSku.</summary>
    public LicenseFigureKind Kind { get; set; }

    /// <summary>The customer's id (its tenant id), when the rows carried it.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's name, when the rows carried it.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The product's id (for subscribed SKUs, the SKU's id), when the rows carried it.</summary>
    public string? ProductId { get; set; }

    /// <summary>The product's name (for subscribed SKUs, the product name, else the SKU part number).</summary>
    public string? ProductName { get; set; }

    /// <summary>The workload's code (usage only).</summary>
    public string? WorkloadCode { get; set; }

    /// <summary>The workload's name (usage only).</summary>
    public string? WorkloadName { get; set; }

    /// <summary>Qualified licenses (usage).</summary>
    public long? LicensesQualified { get; set; }

    /// <summary>Active licenses (usage).</summary>
    public long? LicensesActive { get; set; }

    /// <summary>Qualified minus active licenses, summed row by row (a row with more active than qualified adds 0) (usage).</summary>
    public long? LicensesInactive { get; set; }

    /// <summary>Licenses sold (deployment).</summary>
    public long? LicensesSold { get; set; }

    /// <summary>Licenses deployed (deployment).</summary>
    public long? LicensesDeployed { get; set; }

    /// <summary>Sold minus deployed licenses, summed row by row (deployment).</summary>
    public long? LicensesUnassigned { get; set; }

    /// <summary>Units free to assign (subscribed SKUs).</summary>
    public long? AvailableUnits { get; set; }

    /// <summary>The processed day (UTC midnight) of the rows summed; null when they carried none (always for subscribed SKUs).</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>
    /// The qualified licenses of the rows that knew their active count too: the base of the inactive share, which is
    /// <see cref="LicensesQualified"/> unless a row lacked its active count. Kept with the figure (and in the page's data)
    /// so that a share counted from figures is the page's own; not a column of its own.
    /// </summary>
    internal long QualifiedWithActiveKnown { get; set; }

    /// <summary>When the report that counted the figure was made (read back from the page; null before it is written).</summary>
    public DateTimeOffset? ReportGeneratedAt { get; set; }

    /// <summary>The title of the report that counted the figure.</summary>
    public string? ReportTitle { get; set; }

    /// <summary>The version of the module that wrote the report.</summary>
    public string? ModuleVersion { get; set; }

    /// <summary>The report file the figure was read from.</summary>
    public string? ReportPath { get; set; }
}
