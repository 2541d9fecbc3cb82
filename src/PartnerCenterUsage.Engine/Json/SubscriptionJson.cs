using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>A Subscription of GET /v1/customers/{id}/subscriptions, as sent: legacy and New Commerce alike, every field optional.</summary>
[WireKind("subscriptions", "Subscription")]
internal sealed class SubscriptionJson : WireItem
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [OwnField]
    [JsonPropertyName("offerId")]
    public string? OfferId { get; set; }

    [OwnField]
    [JsonPropertyName("offerName")]
    public string? OfferName { get; set; }

    [OwnField]
    [JsonPropertyName("friendlyName")]
    public string? FriendlyName { get; set; }

    [JsonPropertyName("quantity")]
    public long? Quantity { get; set; }

    [OwnField]
    [JsonPropertyName("unitType")]
    public string? UnitType { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [OwnField]
    [JsonPropertyName("productType")]
    [JsonConverter(typeof(LenientObjectConverter<ProductTypeJson>))]
    public ProductTypeJson? ProductType { get; set; }

    [OwnField]
    [JsonPropertyName("billingType")]
    public string? BillingType { get; set; }

    [OwnField]
    [JsonPropertyName("billingCycle")]
    public string? BillingCycle { get; set; }

    [OwnField]
    [JsonPropertyName("termDuration")]
    public string? TermDuration { get; set; }

    [OwnField]
    [JsonPropertyName("contractType")]
    public string? ContractType { get; set; }

    [OwnField]
    [JsonPropertyName("orderId")]
    public string? OrderId { get; set; }

    [OwnField]
    [JsonPropertyName("creationDate")]
    public DateTimeOffset? CreationDate { get; set; }

    [OwnField]
    [JsonPropertyName("effectiveStartDate")]
    public DateTimeOffset? EffectiveStartDate { get; set; }

    [OwnField]
    [JsonPropertyName("commitmentEndDate")]
    public DateTimeOffset? CommitmentEndDate { get; set; }

    [OwnField]
    [JsonPropertyName("commitmentEndDateTime")]
    public DateTimeOffset? CommitmentEndDateTime { get; set; }

    [JsonPropertyName("cancellationAllowedUntilDate")]
    public DateTimeOffset? CancellationAllowedUntilDate { get; set; }

    [OwnField]
    [JsonPropertyName("autoRenewEnabled")]
    public bool? AutoRenewEnabled { get; set; }

    [OwnField]
    [JsonPropertyName("isTrial")]
    public bool? IsTrial { get; set; }

    [JsonPropertyName("parentSubscriptionId")]
    public string? ParentSubscriptionId { get; set; }

    [JsonPropertyName("partnerId")]
    public string? PartnerId { get; set; }

    [JsonPropertyName("refundOptions")]
    [JsonConverter(typeof(LenientListConverter<RefundOptionJson>))]
    public List<RefundOptionJson?>? RefundOptions { get; set; }

    [OwnField]
    [JsonPropertyName("refundableQuantity")]
    [JsonConverter(typeof(LenientObjectConverter<RefundableQuantityJson>))]
    public RefundableQuantityJson? RefundableQuantity { get; set; }

    [OwnField]
    [JsonPropertyName("scheduledNextTermInstructions")]
    [JsonConverter(typeof(LenientObjectConverter<NextTermJson>))]
    public NextTermJson? ScheduledNextTermInstructions { get; set; }

    // A status alone is no subscription: other resources have one too (an order, an invitation), and another
    // document's items must not pass for subscriptions of unknowns. An id alone is one, every other field unknown.
    public override bool IsEmpty =>
        Id is null && OfferId is null && OfferName is null && FriendlyName is null && Quantity is null && ProductType is null
        && BillingCycle is null && TermDuration is null && CommitmentEndDate is null && CreationDate is null && EffectiveStartDate is null;

    public CustomerSubscription ToModel() => new()
    {
        SubscriptionId = Id,
        OfferId = OfferId,
        OfferName = OfferName,
        FriendlyName = FriendlyName,
        Quantity = Quantity,
        UnitType = UnitType,
        Status = Status,
        ProductType = ProductType?.Id,
        BillingType = BillingType,
        BillingCycle = BillingCycle,
        TermDuration = TermDuration,
        ContractType = ContractType,
        OrderId = OrderId,
        CreationDate = CreationDate,
        EffectiveStartDate = EffectiveStartDate,
        CommitmentEndDate = CommitmentEndDate,
        CommitmentEndDateTime = CommitmentEndDateTime,
        CancellationAllowedUntil = CancellationAllowedUntilDate,
        AutoRenewEnabled = AutoRenewEnabled,
        IsTrial = IsTrial,
        ParentSubscriptionId = ParentSubscriptionId,
        PartnerId = PartnerId,

        // The field table calls it expiresAfter, every example expiresAt: either is read.
        FullRefundUntil = RefundUntil("Full"),
        PartialRefundUntil = RefundUntil("Partial"),
        RefundableQuantity = RefundableQuantity?.TotalQuantity,
        RefundableSeats = new RefundableSeatsList((RefundableQuantity?.Details ?? new List<RefundableDetailJson?>())
            .Where(d => d is not null && (d.Quantity is not null || d.AllowedUntilDateTime is not null))
            .Select(d => new RefundableSeats(d!.Quantity, d.AllowedUntilDateTime))
            .ToList()),
        NextTermQuantity = ScheduledNextTermInstructions?.Quantity,
        NextTermOfferId = ScheduledNextTermInstructions?.Product is { } next && (next.ProductId ?? next.SkuId ?? next.AvailabilityId) is not null
            ? string.Join(":", next.ProductId, next.SkuId, next.AvailabilityId)
            : null,
        NextTermBillingCycle = ScheduledNextTermInstructions?.Product?.BillingCycle,
        NextTermDuration = ScheduledNextTermInstructions?.Product?.TermDuration,
        NextTermEndDate = ScheduledNextTermInstructions?.CustomTermEndDate,
    };

    private DateTimeOffset? RefundUntil(string type) =>
        RefundOptions?.Where(o => o is not null && string.Equals(o.Type, type, StringComparison.OrdinalIgnoreCase))
            .Select(o => o!.ExpiresAt ?? o.ExpiresAfter)
            .Where(d => d is not null)
            .OrderByDescending(d => d)
            .FirstOrDefault();

    internal sealed class ProductTypeJson
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("displayName")]
        public string? DisplayName { get; set; }
    }

    internal sealed class RefundOptionJson
    {
        [JsonPropertyName("type")]
        public string? Type { get; set; }

        [JsonPropertyName("expiresAt")]
        public DateTimeOffset? ExpiresAt { get; set; }

        [JsonPropertyName("expiresAfter")]
        public DateTimeOffset? ExpiresAfter { get; set; }
    }

    internal sealed class RefundableQuantityJson
    {
        [JsonPropertyName("totalQuantity")]
        public long? TotalQuantity { get; set; }

        [JsonPropertyName("details")]
        [JsonConverter(typeof(LenientListConverter<RefundableDetailJson>))]
        public List<RefundableDetailJson?>? Details { get; set; }
    }

    internal sealed class RefundableDetailJson
    {
        [JsonPropertyName("quantity")]
        public long? Quantity { get; set; }

        [JsonPropertyName("allowedUntilDateTime")]
        public DateTimeOffset? AllowedUntilDateTime { get; set; }
    }

    internal sealed class NextTermJson
    {
        [JsonPropertyName("product")]
        [JsonConverter(typeof(LenientObjectConverter<NextTermProductJson>))]
        public NextTermProductJson? Product { get; set; }

        [JsonPropertyName("quantity")]
        public long? Quantity { get; set; }

        [JsonPropertyName("customTermEndDate")]
        public DateTimeOffset? CustomTermEndDate { get; set; }
    }

    internal sealed class NextTermProductJson
    {
        [JsonPropertyName("productId")]
        public string? ProductId { get; set; }

        [JsonPropertyName("skuId")]
        public string? SkuId { get; set; }

        [JsonPropertyName("availabilityId")]
        public string? AvailabilityId { get; set; }

        [JsonPropertyName("billingCycle")]
        public string? BillingCycle { get; set; }

        [JsonPropertyName("termDuration")]
        public string? TermDuration { get; set; }
    }
}
