using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>A catalog SKU of GET /v1/products/{productId}/skus/{skuId}, as sent: only what the join reads.</summary>
[WireKind("catalog SKUs", "Sku")]
internal sealed class CatalogSkuJson : WireItem
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("productId")]
    public string? ProductId { get; set; }

    [OwnField]
    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [OwnField]
    [JsonPropertyName("dynamicAttributes")]
    [JsonConverter(typeof(LenientObjectConverter<DynamicAttributesJson>))]
    public DynamicAttributesJson? DynamicAttributes { get; set; }

    public override bool IsEmpty => Id is null && ProductId is null && Title is null && DynamicAttributes is null;

    internal sealed class DynamicAttributesJson
    {
        /// <summary>The Microsoft Entra SKU id(s) the SKU provisions: one GUID, or several in one string.</summary>
        [JsonPropertyName("provisioningId")]
        public string? ProvisioningId { get; set; }
    }
}
