using System;
using System.Collections.Generic;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reductions;

/// <summary>
/// A subscription with the Microsoft Entra SKU ids it may carry, and what they were learnt by; none, with the reason,
/// when they could not be learnt.
/// </summary>
internal sealed record SubscriptionSku(CustomerSubscription Subscription, IReadOnlyList<Guid> Candidates, string? LearntBy, string? Problem)
{
    /// <summary>A subscription whose SKU could not be learnt, and why.</summary>
    public static SubscriptionSku Unknown(CustomerSubscription subscription, string problem) => new(subscription, Array.Empty<Guid>(), null, problem);
}
