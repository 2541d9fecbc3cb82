namespace PartnerCenterUsage.Simulator;

/// <summary>
/// One subscription of a customer, as GET /v1/customers/{id}/subscriptions serves it (unless a <see cref="SubscriptionQuirk"/>
/// spoils its body): the truth a test compares what the module read with.
/// </summary>
/// <remarks>
/// Which subscriptions carry the seats the analytics count as sold: the active ones, trials included (their licenses
/// are provisioned like paid ones). Suspended, expired, disabled and deleted subscriptions carry none: their licenses
/// are being or have been taken away. So for each product, the active subscriptions' quantities add up to the
/// deployment row's licensesSold, or to fewer for a customer that has seats from elsewhere (another partner, a direct
/// purchase): the analytics count every license of the tenant, subscriptions only this partner's.
/// </remarks>
public sealed record SimulatedSubscription
{
    /// <summary>The subscription's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>New Commerce: productId:skuId:availabilityId; legacy: the offer's GUID (upper case).</summary>
    public required string OfferId { get; init; }

    /// <summary>The offer's name: the catalog SKU's title (not the analytics' product name).</summary>
    public required string OfferName { get; init; }

    /// <summary>The partner's name for it.</summary>
    public required string FriendlyName { get; init; }

    /// <summary>The seats.</summary>
    public required long Quantity { get; init; }

    /// <summary>active, suspended, expired, disabled or deleted.</summary>
    public required string Status { get; init; }

    /// <summary>A license-based (legacy) subscription: an offer GUID, an exclusive commitment end, no refundable seats.</summary>
    public bool IsLegacy { get; init; }

    /// <summary>productType.id: OnlineServicesNCE, or OnlineServices for a legacy subscription.</summary>
    public string ProductType => IsLegacy ? "OnlineServices" : "OnlineServicesNCE";

    /// <summary>monthly, annual, triennial, or none (a trial).</summary>
    public required string BillingCycle { get; init; }

    /// <summary>The term's length: P1M, P1Y or P3Y.</summary>
    public required string TermDuration { get; init; }

    /// <summary>When it was first bought.</summary>
    public required DateTimeOffset CreationDate { get; init; }

    /// <summary>The start of the current term (midnight UTC).</summary>
    public required DateTimeOffset EffectiveStartDate { get; init; }

    /// <summary>
    /// The end of the term. New Commerce: inclusive, the term ends at the end of that day; legacy: exclusive, the
    /// first day after the term.
    /// </summary>
    public required DateOnly CommitmentEndDate { get; init; }

    /// <summary>New Commerce: the last second of the term (23:59:59 UTC of <see cref="CommitmentEndDate"/>); null (not sent) for legacy.</summary>
    public DateTimeOffset? CommitmentEndDateTime { get; init; }

    /// <summary>Until when the subscription can be cancelled (7 days after its term began); null (not sent) for legacy ones and trials.</summary>
    public DateTimeOffset? CancellationAllowedUntil { get; init; }

    /// <summary>Whether it renews at the end of its term.</summary>
    public required bool AutoRenewEnabled { get; init; }

    /// <summary>A trial.</summary>
    public bool IsTrial { get; init; }

    /// <summary>The subscription it is an add-on of, or null.</summary>
    public Guid? ParentSubscriptionId { get; init; }

    /// <summary>The reseller of record's partner id, or null (not sent).</summary>
    public string? PartnerId { get; init; }

    /// <summary>The order it was bought in.</summary>
    public required Guid OrderId { get; init; }

    /// <summary>refundOptions: empty once every window has closed; empty for legacy subscriptions (not sent).</summary>
    public IReadOnlyList<SimulatedRefundOption> RefundOptions { get; init; } = [];

    /// <summary>refundableQuantity.details: the batches of seats that can still be removed; empty when none can.</summary>
    public IReadOnlyList<SimulatedRefundBatch> RefundableBatches { get; init; } = [];

    /// <summary>refundableQuantity.totalQuantity: the seats that can still be removed; null for legacy subscriptions (not sent).</summary>
    public long? RefundableQuantity => IsLegacy ? null : RefundableBatches.Sum(b => b.Quantity);

    /// <summary>The renewal scheduled with fewer seats, or null.</summary>
    public SimulatedNextTerm? NextTerm { get; init; }

    /// <summary>The catalog SKU it was bought as (New Commerce), or null (legacy).</summary>
    public SimulatedCatalogSku? CatalogSku { get; init; }

    /// <summary>The analytics product whose seats it carries.</summary>
    public required string ProductName { get; init; }

    /// <summary>
    /// The Entra SKU it provisions (its provisioning status' skuId): for a bundle, the one of its two candidates it
    /// actually carries; for a SKU without provisioningId, the one only provisioning status tells.
    /// </summary>
    public required Guid EntraSkuId { get; init; }

    /// <summary>False for the one legacy subscription whose provisioning status has no skuId: nothing tells what it carries.</summary>
    public bool ProvisioningStatusHasSkuId { get; init; } = true;

    /// <summary>True when it carries seats the analytics count as sold: active (see the remarks).</summary>
    public bool CarriesSoldSeats => Status == "active";
}
