using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Gets the license usage of Partner Center customers, one object per product workload, several customers at once.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerLicenseUsage")]
[OutputType(typeof(CustomerLicenseUsage))]
public sealed class GetPCCustomerLicenseUsageCommand : PerCustomerCmdlet
{
    /// <inheritdoc/>
    protected override string Subject => "license usage";

    internal override async Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        await connection.Client.GetCustomerLicenseUsageAsync(customerId, operation, cancellationToken, companyName).ConfigureAwait(false);
}
