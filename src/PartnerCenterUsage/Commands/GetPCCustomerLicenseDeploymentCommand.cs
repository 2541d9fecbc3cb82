using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Gets the license deployment of Partner Center customers (licenses sold and assigned), one object per product, several customers at once.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerLicenseDeployment")]
[OutputType(typeof(CustomerLicenseDeployment))]
public sealed class GetPCCustomerLicenseDeploymentCommand : PerCustomerCmdlet
{
    /// <inheritdoc/>
    protected override string Subject => "license deployment";

    internal override async Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        await connection.Client.GetCustomerLicenseDeploymentAsync(customerId, operation, cancellationToken, companyName).ConfigureAwait(false);
}
