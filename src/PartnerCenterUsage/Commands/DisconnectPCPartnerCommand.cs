using System.Management.Automation;

namespace PartnerCenterUsage.Commands;

/// <summary>Removes this session's Partner Center connection.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "PCPartner")]
[OutputType(typeof(void))]
public sealed class DisconnectPCPartnerCommand : PartnerCenterCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var connection = SessionConnections.Remove();
        SignOut(connection);
        WriteVerbose(connection is null
            ? "There was no Partner Center connection in this session."
            : "Disconnected from Partner Center; its token cache is cleared.");
    }
}
