using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// The fields every license row has, per customer and portfolio-wide: who, which product and service, the channel and
/// the processing date. The customer is <c>customerId</c> per customer and <c>customerTenantId</c> in the commercial analytics.
/// </summary>
internal abstract class LicenseRowJson : WireItem
{
    [JsonPropertyName("customerId")]
    public Guid? CustomerId { get; set; }

    [JsonPropertyName("customerTenantId")]
    public Guid? CustomerTenantId { get; set; }

    [JsonPropertyName("customerName")]
    public string? CustomerName { get; set; }

    [JsonPropertyName("productId")]
    public string? ProductId { get; set; }

    [JsonPropertyName("productName")]
    public string? ProductName { get; set; }

    [JsonPropertyName("serviceCode")]
    public string? ServiceCode { get; set; }

    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }

    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    [JsonPropertyName("processedDateTime")]
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>The customer's id, whichever name it came under.</summary>
    protected Guid? Customer => CustomerId ?? CustomerTenantId;

    /// <inheritdoc/>
    public override bool IsEmpty =>
        Customer is null && CustomerName is null && ProductId is null && ProductName is null && ServiceCode is null
        && ServiceName is null && Channel is null && ProcessedDateTime is null;

    /// <summary><paramref name="row"/> with the fields every license row has, as sent.</summary>
    protected TRow WithSharedFields<TRow>(TRow row)
        where TRow : ICommercialRow
    {
        row.CustomerId = Customer;
        row.CustomerName = CustomerName;
        row.ProductId = ProductId;
        row.ProductName = ProductName;
        row.ServiceCode = ServiceCode;
        row.ServiceName = ServiceName;
        row.Channel = Channel;
        row.ProcessedDateTime = ProcessedDateTime;
        return row;
    }
}

/// <summary>
/// The JSON names of a license usage row, per customer (CustomerLicensesUsageInsights) and portfolio-wide (commercial
/// analytics), read as sent and flattened into <see cref="CustomerLicenseUsage"/>.
/// </summary>
[WireKind("license usage rows", "CustomerLicensesUsageInsights")]
internal sealed class LicenseUsageJson : LicenseRowJson
{
    [OwnField]
    [JsonPropertyName("workloadCode")]
    public string? WorkloadCode { get; set; }

    [JsonPropertyName("workloadName")]
    public string? WorkloadName { get; set; }

    [OwnField]
    [JsonPropertyName("licensesActive")]
    public long? LicensesActive { get; set; }

    /// <summary>The commercial usage page's own example spells it so.</summary>
    [OwnField]
    [JsonPropertyName("licenseActive")]
    public long? LicenseActive { get; set; }

    [OwnField]
    [JsonPropertyName("licensesQualified")]
    public long? LicensesQualified { get; set; }

    [OwnField]
    [JsonPropertyName("usagePercent")]
    public double? UsagePercent { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty =>
        base.IsEmpty && WorkloadCode is null && WorkloadName is null && LicensesActive is null && LicenseActive is null
        && LicensesQualified is null && UsagePercent is null;

    /// <summary>The model; for rows grouped on <paramref name="groupBy"/>, only the grouped fields are kept.</summary>
    public CustomerLicenseUsage ToModel(ICollection<CommercialField>? groupBy) =>
        CommercialReportFields.Usage.KeepGrouped(WithSharedFields(new CustomerLicenseUsage
        {
            WorkloadCode = WorkloadCode,
            WorkloadName = WorkloadName,
            LicensesActive = LicensesActive ?? LicenseActive,
            LicensesQualified = LicensesQualified,
            UsagePercent = UsagePercent,
        }), groupBy);
}

/// <summary>
/// The JSON names of a license deployment row, per customer (CustomerLicensesDeploymentInsights) and portfolio-wide
/// (commercial analytics), flattened into <see cref="CustomerLicenseDeployment"/>.
/// </summary>
[WireKind("license deployment rows", "CustomerLicensesDeploymentInsights")]
internal sealed class LicenseDeploymentJson : LicenseRowJson
{
    [OwnField]
    [JsonPropertyName("licensesDeployed")]
    public long? LicensesDeployed { get; set; }

    [JsonPropertyName("licensesSold")]
    public long? LicensesSold { get; set; }

    [OwnField]
    [JsonPropertyName("deploymentPercent")]
    public double? DeploymentPercent { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty => base.IsEmpty && LicensesDeployed is null && LicensesSold is null && DeploymentPercent is null;

    /// <summary>The model; for rows grouped on <paramref name="groupBy"/>, only the grouped fields are kept.</summary>
    public CustomerLicenseDeployment ToModel(ICollection<CommercialField>? groupBy) =>
        CommercialReportFields.Deployment.KeepGrouped(WithSharedFields(new CustomerLicenseDeployment
        {
            LicensesDeployed = LicensesDeployed,
            LicensesSold = LicensesSold,
            DeploymentPercent = DeploymentPercent,
        }), groupBy);
}
