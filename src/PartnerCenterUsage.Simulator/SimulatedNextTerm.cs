namespace PartnerCenterUsage.Simulator;

/// <summary>
/// What a New Commerce subscription renews as (scheduledNextTermInstructions): the same product, SKU, availability,
/// billing cycle and term, with fewer seats.
/// </summary>
/// <param name="Quantity">The seats of the next term.</param>
/// <param name="BillingCycle">The next term's billing cycle.</param>
/// <param name="TermDuration">The next term's length (ISO 8601 duration).</param>
public sealed record SimulatedNextTerm(long Quantity, string BillingCycle, string TermDuration);
