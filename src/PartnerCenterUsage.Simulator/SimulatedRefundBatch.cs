namespace PartnerCenterUsage.Simulator;

/// <summary>
/// Seats of a New Commerce subscription that can still be removed for a refund: added or renewed less than 7 days
/// (168 hours) ago, removable until <paramref name="AllowedUntil"/>.
/// </summary>
/// <param name="Quantity">How many seats.</param>
/// <param name="AllowedUntil">Until when they can be removed (refundableQuantity.details[].allowedUntilDateTime).</param>
public sealed record SimulatedRefundBatch(long Quantity, DateTimeOffset AllowedUntil);
