using System.Management.Automation;

namespace PartnerCenterUsage.Commands;

/// <summary>Removes this session's Partner Center connection.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "PCPartner")]
[OutputType(typeof(void))]
public sealed class DisconnectPCPartnerCommand : PartnerCenterCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() =>
        WriteVerbose(SessionConnections.Remove()
            ? "Disconnected from Partner Center."
            : "There was no Partner Center connection in this session.");
}
