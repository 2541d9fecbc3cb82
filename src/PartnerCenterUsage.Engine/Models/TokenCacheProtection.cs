namespace PartnerCenterUsage.Models;

/// <summary>Where a connection's MSAL token cache lives, and how it is protected.</summary>
public enum TokenCacheProtection
{
    /// <summary>In this process's memory only: the sign-in ends with the session.</summary>
    Memory,

    /// <summary>Saved for later sessions, encrypted by the OS (DPAPI, the macOS Keychain, the Linux Secret Service).</summary>
    Encrypted,

    /// <summary>Saved for later sessions in a plaintext file readable by the owner only (-AllowUnencryptedTokenCache).</summary>
    Plaintext,
}
