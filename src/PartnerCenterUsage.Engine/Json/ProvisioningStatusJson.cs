using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>A subscription's provisioning status (GET .../subscriptions/{id}/provisioningstatus), as sent.</summary>
[WireKind("provisioning statuses", "SubscriptionProvisioningStatus")]
internal sealed class ProvisioningStatusJson : WireItem
{
    /// <summary>The Microsoft Entra SKU id the subscription provisions.</summary>
    [OwnField]
    [JsonPropertyName("skuId")]
    public string? SkuId { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("quantity")]
    public long? Quantity { get; set; }

    public override bool IsEmpty => SkuId is null && Status is null && Quantity is null;
}
