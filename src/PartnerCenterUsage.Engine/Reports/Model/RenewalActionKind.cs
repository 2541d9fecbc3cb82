namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>What a <see cref="RenewalAction"/> is about: a return window that closes, or a renewal.</summary>
public enum RenewalActionKind : byte
{
    /// <summary>Seats that can be removed now for a refund, until their return window closes.</summary>
    Return,

    /// <summary>Seats that can be left out of the next term, scheduled before the subscriptions renew.</summary>
    CutAtRenewal,
}
