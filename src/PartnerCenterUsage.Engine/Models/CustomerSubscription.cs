using System;
using System.Globalization;
using System.Linq;

namespace PartnerCenterUsage.Models;

/// <summary>
/// One subscription of a customer, legacy or New Commerce, as Partner Center describes it: the offer, the seats, the
/// term and its end, renewal, and the seats that can still be removed for a refund or are scheduled away for the next
/// term. Flat, for Export-Csv: a value Partner Center did not send (or sent unreadable) is null (empty), never a made-up
/// 0 or false; dates are as sent, with <see cref="TermEnd"/> the moment the term actually ends.
/// </summary>
public sealed class CustomerSubscription
{
    /// <summary>The productType id of New Commerce subscriptions.</summary>
    public const string NewCommerceProductType = "OnlineServicesNCE";

    // Partner Center writes a far-future commitment end (9999-12-...) for subscriptions that never end.
    private const int NeverEndsFromYear = 9000;

    /// <summary>The customer's id, taken from the request (the answer does not carry it).</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's name, as the input gave it (a customer piped from Get-PCCustomer); the answer does not carry it.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The subscription's id.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>
    /// The offer: New Commerce <c>productId:skuId:availabilityId</c> (CFQ7TTC0LF8Q:0001:CFQ7TTC0K971), legacy an offer GUID.
    /// </summary>
    public string? OfferId { get; set; }

    /// <summary>The offer's name.</summary>
    public string? OfferName { get; set; }

    /// <summary>The name the partner gave the subscription.</summary>
    public string? FriendlyName { get; set; }

    /// <summary>The seats (licenses) the subscription has.</summary>
    public long? Quantity { get; set; }

    /// <summary>What a unit is: Licenses, Usage-based...</summary>
    public string? UnitType { get; set; }

    /// <summary>The state, as Partner Center wrote it: active, pending, suspended, expired, disabled, deleted, none, or another.</summary>
    public string? Status { get; set; }

    /// <summary>The product type's id: OnlineServicesNCE (New Commerce), OnlineServices, Azure, Software...</summary>
    public string? ProductType { get; set; }

    /// <summary>How it is billed: license, usage...</summary>
    public string? BillingType { get; set; }

    /// <summary>How often it is billed: monthly, annual, triennial...</summary>
    public string? BillingCycle { get; set; }

    /// <summary>The term, ISO 8601: P1M, P1Y, P3Y.</summary>
    public string? TermDuration { get; set; }

    /// <summary>The contract type: subscription, product...</summary>
    public string? ContractType { get; set; }

    /// <summary>The order that created it.</summary>
    public string? OrderId { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreationDate { get; set; }

    /// <summary>When its current term started.</summary>
    public DateTimeOffset? EffectiveStartDate { get; set; }

    /// <summary>
    /// The commitment end as sent: for New Commerce the last day of the term (inclusive), for legacy subscriptions the
    /// moment it ends. See <see cref="TermEnd"/>.
    /// </summary>
    public DateTimeOffset? CommitmentEndDate { get; set; }

    /// <summary>The commitment end as a moment, when Partner Center sends it.</summary>
    public DateTimeOffset? CommitmentEndDateTime { get; set; }

    /// <summary>Until when it can be cancelled (New Commerce); empty when it cannot be or Partner Center did not say.</summary>
    public DateTimeOffset? CancellationAllowedUntil { get; set; }

    /// <summary>Whether it renews at the end of its term.</summary>
    public bool? AutoRenewEnabled { get; set; }

    /// <summary>Whether it is a trial.</summary>
    public bool? IsTrial { get; set; }

    /// <summary>The subscription this one is an add-on of.</summary>
    public string? ParentSubscriptionId { get; set; }

    /// <summary>The reseller of record (indirect model).</summary>
    public string? PartnerId { get; set; }

    /// <summary>Until when a full refund on cancellation is possible (refundOptions of type Full).</summary>
    public DateTimeOffset? FullRefundUntil { get; set; }

    /// <summary>Until when a partial refund on cancellation is possible (refundOptions of type Partial).</summary>
    public DateTimeOffset? PartialRefundUntil { get; set; }

    /// <summary>The seats that can still be removed for a refund, in all (refundableQuantity.totalQuantity).</summary>
    public long? RefundableQuantity { get; set; }

    /// <summary>The refundable seats batch by batch, each with its own deadline; in a CSV cell, "5 until 2026-12-08 10:00Z; ...".</summary>
    public RefundableSeatsList RefundableSeats { get; set; } = new(Array.Empty<RefundableSeats>());

    /// <summary>The last deadline of <see cref="RefundableSeats"/>: until then some of the seats can be removed for a refund.</summary>
    public DateTimeOffset? RefundableUntil => RefundableSeats.Select(b => b.AllowedUntil).Where(d => d is not null).DefaultIfEmpty().Max();

    /// <summary>The seats scheduled for the next term (scheduledNextTermInstructions.quantity); empty when nothing is scheduled.</summary>
    public long? NextTermQuantity { get; set; }

    /// <summary>The offer scheduled for the next term, as productId:skuId:availabilityId.</summary>
    public string? NextTermOfferId { get; set; }

    /// <summary>The billing cycle scheduled for the next term.</summary>
    public string? NextTermBillingCycle { get; set; }

    /// <summary>The term duration scheduled for the next term.</summary>
    public string? NextTermDuration { get; set; }

    /// <summary>The custom end date scheduled for the next term.</summary>
    public DateTimeOffset? NextTermEndDate { get; set; }

    /// <summary>
    /// True for New Commerce (productType OnlineServicesNCE, or an offer id of the productId:skuId:availabilityId form),
    /// false for other product types or an offer GUID; empty when neither says.
    /// </summary>
    public bool? IsNewCommerce
    {
        get
        {
            if (!string.IsNullOrEmpty(ProductType))
            {
                return string.Equals(ProductType, NewCommerceProductType, StringComparison.OrdinalIgnoreCase) || OfferParts() is not null;
            }

            if (OfferParts() is not null)
            {
                return true;
            }

            return Guid.TryParse(OfferId, out _) ? false : null;
        }
    }

    /// <summary>The catalog product id of a New Commerce offer (CFQ7TTC0LF8Q).</summary>
    public string? ProductId => OfferParts()?[0];

    /// <summary>The catalog SKU id of a New Commerce offer (0001).</summary>
    public string? SkuId => OfferParts()?[1];

    /// <summary>The catalog availability id of a New Commerce offer.</summary>
    public string? AvailabilityId => OfferParts()?[2];

    /// <summary>
    /// The moment the current term ends: for New Commerce the end of its inclusive <see cref="CommitmentEndDate"/> (the
    /// next midnight, UTC), otherwise the commitment end as sent (or <see cref="CommitmentEndDateTime"/> when only that
    /// came). Empty when unknown, and for subscriptions that never end (a commitment end in the far future).
    /// </summary>
    public DateTimeOffset? TermEnd
    {
        get
        {
            // Never-ending is told before the day is added: the day after 9999-12-31 is no date at all.
            DateTimeOffset? end = CommitmentEndDate ?? CommitmentEndDateTime;
            if (end is not { } value || value.UtcDateTime.Year >= NeverEndsFromYear)
            {
                return null;
            }

            return CommitmentEndDate is { } date && IsNewCommerce == true ? new DateTimeOffset(date.UtcDateTime.Date, TimeSpan.Zero).AddDays(1) : value;
        }
    }

    /// <summary>
    /// The seats that leave the subscription's product at the next renewal by what is scheduled: the quantity less the
    /// next term's, or all of it when the next term is scheduled onto another product or SKU; empty when nothing is
    /// scheduled (no next-term instructions came) or the quantity or the next term's quantity is unknown.
    /// </summary>
    public long? ScheduledReduction
    {
        get
        {
            if (NextTermQuantity is null && NextTermOfferId is null)
            {
                return null;
            }

            if (Quantity is not { } now)
            {
                return null;
            }

            var next = NextTermOfferId?.Split(':');
            if (next is { Length: >= 2 } && ProductId is { } product && SkuId is { } sku
                && (!string.Equals(next[0].Trim(), product, StringComparison.OrdinalIgnoreCase) || !string.Equals(next[1].Trim(), sku, StringComparison.OrdinalIgnoreCase)))
            {
                return now;
            }

            return NextTermQuantity is { } quantity ? Math.Max(0, now - quantity) : null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} ({2} seats, {3})", CustomerId, FriendlyName ?? OfferName ?? OfferId, Quantity, Status);

    private string[]? OfferParts()
    {
        var parts = OfferId?.Split(':');
        return parts is { Length: 3 } && parts.All(p => p.Trim().Length > 0) ? parts.Select(p => p.Trim()).ToArray() : null;
    }
}
