namespace PartnerCenterUsage.Simulator;

/// <summary>A refund a New Commerce subscription still allows (refundOptions[]): Full or Partial, until <paramref name="ExpiresAt"/>.</summary>
/// <param name="Type">Full or Partial.</param>
/// <param name="ExpiresAt">When the option ends.</param>
public sealed record SimulatedRefundOption(string Type, DateTimeOffset ExpiresAt);
