namespace PartnerCenterUsage.Simulator;

/// <summary>
/// One SKU of the simulator's New Commerce catalog, as GET /v1/products/{productId}/skus/{skuId} serves it.
/// </summary>
/// <param name="ProductId">The catalog product id (12 characters, such as CFQ7TTC0LF8Q).</param>
/// <param name="SkuId">The SKU id within the product ("0001", "0002").</param>
/// <param name="AvailabilityId">The availability that subscriptions of this SKU are bought from (the third part of their offerId).</param>
/// <param name="Title">The SKU's title.</param>
/// <param name="Description">The SKU's description.</param>
/// <param name="ProvisioningIds">
/// The Entra SKU GUIDs that <c>dynamicAttributes.provisioningId</c> names: usually one; two, comma-separated, for a bundle
/// whose subscriptions can carry either product; none when the SKU has no provisioningId at all.
/// </param>
/// <param name="IsAddon">True when the SKU can only be bought on top of another subscription.</param>
/// <param name="MinimumQuantity">The fewest seats a subscription may have.</param>
/// <param name="MaximumQuantity">The most seats a subscription may have.</param>
/// <param name="SupportedBillingCycles">The billing cycles the SKU can be bought with.</param>
public sealed record SimulatedCatalogSku(
    string ProductId, string SkuId, string AvailabilityId, string Title, string Description, IReadOnlyList<Guid> ProvisioningIds,
    bool IsAddon, long MinimumQuantity, long MaximumQuantity, IReadOnlyList<string> SupportedBillingCycles)
{
    /// <summary>The first part of a New Commerce offerId: productId:skuId.</summary>
    public string ProductSku => ProductId + ":" + SkuId;
}
