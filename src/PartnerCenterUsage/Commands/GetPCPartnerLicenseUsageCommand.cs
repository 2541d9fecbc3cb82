using System.Management.Automation;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the partner's license usage aggregated over all its customers: one row per workload, service and channel with
/// the prorated share of licenses in use. Get-PCLicenseUsage gives the same per customer.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCPartnerLicenseUsage")]
[OutputType(typeof(PartnerLicenseUsage))]
public sealed class GetPCPartnerLicenseUsageCommand : PagedListingCmdlet
{
    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var connection = RequireConnection();
        WriteListing(connection.Client.ListPartnerLicenseUsage(NewOperation()), "the partner's license usage");
    }
}
