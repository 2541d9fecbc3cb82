using System.Management.Automation;
using System.Runtime.CompilerServices;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage;

/// <summary>
/// Connect-PCPartner's choice of token cache, and what it tells the user about it: the OS's encrypted store when the
/// sign-in is to be saved, a plaintext file only when the user allowed it and encryption is unavailable (with a
/// warning at every connect), memory otherwise, never plaintext silently.
/// </summary>
internal static class TokenCacheChoice
{
    public const string Process = "Process";
    public const string CurrentUser = "CurrentUser";

    /// <summary>The saved cache to use, or null for memory; warns when saving was asked for and cannot be done safely.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static PersistentTokenCache? Open(PartnerCenterCmdlet cmdlet, string? scope, bool allowPlaintext)
    {
        // Once a sign-in is saved, CurrentUser is the default, as a saved Az context is: -ContextScope Process opts out.
        var save = scope is null ? PersistentTokenCache.HasSavedSignIn() : scope == CurrentUser;
        if (!save)
        {
            return null;
        }

        try
        {
            return cmdlet.Await(PersistentTokenCache.OpenAsync(plaintext: false, CancellationTokenOf(cmdlet)));
        }
        catch (PartnerCenterTokenCacheException ex) when (!allowPlaintext)
        {
            cmdlet.WriteWarning($"The sign-in is not saved: {ex.Message} It stays in this session's memory. {ErrorRecords.TokenCacheAdvice}");
            return null;
        }
        catch (PartnerCenterTokenCacheException encrypted)
        {
            cmdlet.WriteVerbose($"No encrypted store: {encrypted.Message}");
        }

        try
        {
            return cmdlet.Await(PersistentTokenCache.OpenAsync(plaintext: true, CancellationTokenOf(cmdlet)));
        }
        catch (PartnerCenterTokenCacheException ex)
        {
            cmdlet.WriteWarning($"The sign-in is not saved: {ex.Message} It stays in this session's memory.");
            return null;
        }
    }

    /// <summary>After connecting: says that the sign-in was silent, and warns at every connect that uses a plaintext cache.</summary>
    public static void Report(PartnerCenterCmdlet cmdlet, PartnerConnection connection)
    {
        if (connection.SignedInSilently)
        {
            cmdlet.WriteInformation(
                new HostInformationMessage { Message = $"Signed in silently as {connection.Context.Account} from the saved sign-in ({connection.TokenCache} token cache). -ForceSignIn signs in afresh; -Account picks another saved account." },
                new[] { "PSHOST" });
        }

        if (connection.TokenCache == TokenCacheProtection.Plaintext)
        {
            cmdlet.WriteWarning(
                $"The saved sign-in is in a PLAINTEXT file ({PersistentTokenCache.DefaultDirectory}), readable by your account only: whoever can read it, " +
                "or a backup of it, can use Partner Center as you. Use it only where no keyring can run; Disconnect-PCPartner -RemoveSavedSignIn deletes it.");
        }
    }

    private static System.Threading.CancellationToken CancellationTokenOf(PartnerCenterCmdlet cmdlet) => cmdlet.InvocationCancellationToken;
}
