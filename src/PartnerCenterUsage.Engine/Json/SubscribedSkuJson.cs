using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>A SubscribedSku of GET /v1/customers/{id}/subscribedskus, as sent: every field optional.</summary>
[WireKind("subscribed SKUs", "SubscribedSku")]
internal sealed class SubscribedSkuJson : WireItem
{
    [JsonPropertyName("customerId")]
    public Guid? CustomerId { get; set; }

    [OwnField]
    [JsonPropertyName("availableUnits")]
    public long? AvailableUnits { get; set; }

    [OwnField]
    [JsonPropertyName("activeUnits")]
    public long? ActiveUnits { get; set; }

    [OwnField]
    [JsonPropertyName("consumedUnits")]
    public long? ConsumedUnits { get; set; }

    [OwnField]
    [JsonPropertyName("suspendedUnits")]
    public long? SuspendedUnits { get; set; }

    [OwnField]
    [JsonPropertyName("totalUnits")]
    public long? TotalUnits { get; set; }

    [OwnField]
    [JsonPropertyName("warningUnits")]
    public long? WarningUnits { get; set; }

    [JsonPropertyName("capabilityStatus")]
    public string? CapabilityStatus { get; set; }

    [OwnField]
    [JsonPropertyName("productSku")]
    [JsonConverter(typeof(LenientObjectConverter<ProductSkuJson>))]
    public ProductSkuJson? ProductSku { get; set; }

    [OwnField]
    [JsonPropertyName("servicePlans")]
    [JsonConverter(typeof(LenientListConverter<ServicePlanJson>))]
    public List<ServicePlanJson?>? ServicePlans { get; set; }

    public override bool IsEmpty =>
        CustomerId is null && AvailableUnits is null && ActiveUnits is null && ConsumedUnits is null && SuspendedUnits is null
        && TotalUnits is null && WarningUnits is null && CapabilityStatus is null && ProductSku is null && ServicePlans is null;

    public CustomerSubscribedSku ToModel() => new()
    {
        CustomerId = CustomerId,
        SkuId = ProductSku?.Id,
        SkuPartNumber = ProductSku?.SkuPartNumber,
        ProductName = ProductSku?.Name,
        TargetType = ProductSku?.TargetType,
        LicenseGroupId = ProductSku?.LicenseGroupId,
        TotalUnits = TotalUnits,
        ConsumedUnits = ConsumedUnits,
        AvailableUnits = AvailableUnits,
        ActiveUnits = ActiveUnits,
        SuspendedUnits = SuspendedUnits,
        WarningUnits = WarningUnits,
        CapabilityStatus = CapabilityStatus,
        ServicePlans = new CustomerServicePlans((ServicePlans ?? new List<ServicePlanJson?>())
            .Where(p => p is not null)
            .Select(p => new CustomerServicePlan
            {
                Id = p!.Id,
                DisplayName = p.DisplayName,
                ServiceName = p.ServiceName,
                CapabilityStatus = p.CapabilityStatus,
                TargetType = p.TargetType,
            })
            .ToList()),
    };

    internal sealed class ProductSkuJson
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("skuPartNumber")]
        public string? SkuPartNumber { get; set; }

        [JsonPropertyName("targetType")]
        public string? TargetType { get; set; }

        [JsonPropertyName("licenseGroupId")]
        public string? LicenseGroupId { get; set; }
    }

    internal sealed class ServicePlanJson
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("displayName")]
        public string? DisplayName { get; set; }

        [JsonPropertyName("serviceName")]
        public string? ServiceName { get; set; }

        [JsonPropertyName("capabilityStatus")]
        public string? CapabilityStatus { get; set; }

        [JsonPropertyName("targetType")]
        public string? TargetType { get; set; }
    }
}
