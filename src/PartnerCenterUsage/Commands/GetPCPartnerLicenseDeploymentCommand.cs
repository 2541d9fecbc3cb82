using System.Management.Automation;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the partner's license deployment aggregated over all its customers: one row per product, service and channel
/// with the licenses sold and the prorated share of them assigned. Get-PCLicenseDeployment gives the same per customer.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCPartnerLicenseDeployment")]
[OutputType(typeof(PartnerLicenseDeployment))]
public sealed class GetPCPartnerLicenseDeploymentCommand : PagedListingCmdlet
{
    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var connection = RequireConnection();
        WriteListing(connection.Client.ListPartnerLicenseDeployment(NewOperation()), "the partner's license deployment");
    }
}
