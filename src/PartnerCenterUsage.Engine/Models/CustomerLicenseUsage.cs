using System;
using System.Globalization;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Models;

/// <summary>
/// License usage of one product workload of one customer (Partner Center's CustomerLicensesUsageInsights).
/// Flat and scalar so that Where-Object, Sort-Object, Group-Object and Export-Csv work on it as it is.
/// The JSON names here are the only place the engine knows them; they match case-insensitively.
/// </summary>
public sealed class CustomerLicenseUsage
{
    /// <summary>The customer's id. Taken from the request when the response omits it, as real responses often do.</summary>
    [JsonPropertyName("customerId")]
    public Guid CustomerId { get; set; }

    /// <summary>The customer's company name.</summary>
    [JsonPropertyName("customerName")]
    public string? CustomerName { get; set; }

    /// <summary>The product, for example OFFICE 365 BUSINESS ESSENTIALS.</summary>
    [JsonPropertyName("productName")]
    public string? ProductName { get; set; }

    /// <summary>The service code.</summary>
    [JsonPropertyName("serviceCode")]
    public string? ServiceCode { get; set; }

    /// <summary>The service, for example o365.</summary>
    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }

    /// <summary>The workload code.</summary>
    [JsonPropertyName("workloadCode")]
    public string? WorkloadCode { get; set; }

    /// <summary>The workload, for example Exchange or SharePoint.</summary>
    [JsonPropertyName("workloadName")]
    public string? WorkloadName { get; set; }

    /// <summary>Licenses in active use for the workload.</summary>
    [JsonPropertyName("licensesActive")]
    public long LicensesActive { get; set; }

    /// <summary>Licenses that qualify for the workload.</summary>
    [JsonPropertyName("licensesQualified")]
    public long LicensesQualified { get; set; }

    /// <summary>Active licenses as a percentage (0 to 100) of qualified licenses, as Partner Center computed it.</summary>
    [JsonPropertyName("usagePercent")]
    public double UsagePercent { get; set; }

    /// <summary>When Partner Center computed the figures.</summary>
    [JsonPropertyName("processedDateTime")]
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>The sales channel, for example reseller.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} / {2} ({3}/{4})", CustomerName ?? CustomerId.ToString(), ProductName, WorkloadName, LicensesActive, LicensesQualified);
}
