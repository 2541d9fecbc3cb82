using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;

using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Removes this session's Partner Center connection; with -RemoveSavedSignIn, also the sign-in saved for later sessions.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "PCPartner")]
[OutputType(typeof(void))]
public sealed class DisconnectPCPartnerCommand : PartnerCenterCmdlet
{
    /// <summary>
    /// Also remove the saved sign-in (Connect-PCPartner -ContextScope CurrentUser): every saved account and token (the
    /// keyring item, the encrypted or plaintext cache file) and the record of saved sign-ins. Tokens already issued stay
    /// valid until they expire; revoking the sessions in Entra signs out everywhere.
    /// </summary>
    [Parameter]
    public SwitchParameter RemoveSavedSignIn { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var connection = SessionConnections.Remove();
        SignOut(connection);
        WriteVerbose(connection is null
            ? "There was no Partner Center connection in this session."
            : connection.TokenCache == TokenCacheProtection.Memory || RemoveSavedSignIn
                ? "Disconnected from Partner Center; its token cache is cleared."
                : "Disconnected from Partner Center; the saved sign-in is kept for later sessions (-RemoveSavedSignIn deletes it).");
        if (RemoveSavedSignIn)
        {
            RemoveSaved();
        }
    }

    private void RemoveSaved()
    {
        try
        {
            var removed = Await(PersistentTokenCache.RemoveSavedSignInsAsync(CancellationToken));
            WriteVerbose(removed
                ? "Removed the saved sign-in. To sign out everywhere, revoke the account's sessions too (Revoke-MgUserSignInSession, or Revoke sessions in the Entra admin center)."
                : "There was no saved sign-in.");
        }
        catch (PartnerCenterException ex)
        {
            WriteError(ErrorRecords.FromEngine(ex, PersistentTokenCache.DefaultDirectory, "Removing the saved sign-in"));
        }
    }
}
