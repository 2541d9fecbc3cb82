using System;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>
/// The persisted token cache cannot be used: the OS's encrypted store is missing, locked or did not answer in time, or
/// the saved sign-in could not be removed. The message says which and why; nothing was saved.
/// </summary>
public sealed class PartnerCenterTokenCacheException : PartnerCenterException
{
    /// <summary>Creates the exception.</summary>
    public PartnerCenterTokenCacheException(string message, bool timedOut = false, Exception? innerException = null)
        : base(message, innerException)
    {
        TimedOut = timedOut;
    }

    /// <summary>True when the store did not answer within the bound (a locked keyring waiting for a password).</summary>
    public bool TimedOut { get; }
}
