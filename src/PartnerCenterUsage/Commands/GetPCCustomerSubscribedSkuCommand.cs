using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the SKUs Partner Center customers subscribe to, with their units now: total, assigned (consumed) and free to
/// assign (available). Several customers at once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerSubscribedSku")]
[OutputType(typeof(CustomerSubscribedSku))]
public sealed class GetPCCustomerSubscribedSkuCommand : PerCustomerCmdlet
{
    private string[]? _licenseGroups;

    /// <summary>
    /// The license groups: Group1 (licenses managed by Microsoft Entra ID; what Partner Center answers with when none is
    /// given) and Group2 (others). Both may be given.
    /// </summary>
    [Parameter]
    [ValidateSet("Group1", "Group2")]
    public string[] LicenseGroup { get; set; } = Array.Empty<string>();

    /// <inheritdoc/>
    protected override string Subject => "subscribed SKUs";

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        // As Partner Center spells them, whatever case they were typed in.
        _licenseGroups = LicenseGroup.Select(g => string.Equals(g, "Group2", StringComparison.OrdinalIgnoreCase) ? "Group2" : "Group1").Distinct().ToArray();
        base.BeginProcessing();
    }

    internal override async Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        await connection.Client.GetCustomerSubscribedSkusAsync(customerId, _licenseGroups, operation, cancellationToken, companyName).ConfigureAwait(false);
}
