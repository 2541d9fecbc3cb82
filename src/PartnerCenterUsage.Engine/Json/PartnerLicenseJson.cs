using System;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>The fields both partner-wide aggregates have: the service, the channel and the processing date.</summary>
internal abstract class PartnerLicenseRowJson : WireItem
{
    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }

    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    [JsonPropertyName("processedDateTime")]
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty => ServiceName is null && Channel is null && ProcessedDateTime is null;
}

/// <summary>The JSON names of PartnerLicensesUsageInsights, read as sent and flattened into <see cref="PartnerLicenseUsage"/>.</summary>
[WireKind("partner-wide license usage rows", "PartnerLicensesUsageInsights")]
internal sealed class PartnerLicenseUsageJson : PartnerLicenseRowJson
{
    [JsonPropertyName("workloadName")]
    public string? WorkloadName { get; set; }

    [OwnField]
    [JsonPropertyName("proratedLicensesUsagePercent")]
    public double? ProratedLicensesUsagePercent { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty => base.IsEmpty && WorkloadName is null && ProratedLicensesUsagePercent is null;

    public PartnerLicenseUsage ToModel() => new()
    {
        WorkloadName = WorkloadName,
        ServiceName = ServiceName,
        Channel = Channel,
        ProratedLicensesUsagePercent = ProratedLicensesUsagePercent,
        ProcessedDateTime = ProcessedDateTime,
    };
}

/// <summary>The JSON names of PartnerLicensesDeploymentInsights, read as sent and flattened into <see cref="PartnerLicenseDeployment"/>.</summary>
[WireKind("partner-wide license deployment rows", "PartnerLicensesDeploymentInsights")]
internal sealed class PartnerLicenseDeploymentJson : PartnerLicenseRowJson
{
    [JsonPropertyName("productName")]
    public string? ProductName { get; set; }

    [JsonPropertyName("licensesSold")]
    public long? LicensesSold { get; set; }

    [OwnField]
    [JsonPropertyName("proratedDeploymentPercent")]
    public double? ProratedDeploymentPercent { get; set; }

    /// <inheritdoc/>
    public override bool IsEmpty => base.IsEmpty && ProductName is null && LicensesSold is null && ProratedDeploymentPercent is null;

    public PartnerLicenseDeployment ToModel() => new()
    {
        ProductName = ProductName,
        ServiceName = ServiceName,
        Channel = Channel,
        LicensesSold = LicensesSold,
        ProratedDeploymentPercent = ProratedDeploymentPercent,
        ProcessedDateTime = ProcessedDateTime,
    };
}
