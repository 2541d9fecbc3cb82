using System.Management.Automation;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Shows this session's Partner Center connection; nothing when not connected.</summary>
[Cmdlet(VerbsCommon.Get, "PCContext")]
[OutputType(typeof(PartnerContext))]
public sealed class GetPCContextCommand : PartnerCenterCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (SessionConnections.Current is { } connection)
        {
            WriteObject(connection.Context);
        }
    }
}
