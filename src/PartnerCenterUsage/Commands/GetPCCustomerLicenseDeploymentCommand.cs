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
public sealed class GetPCCustomerLicenseDeploymentCommand : PerCustomerCmdlet<CustomerLicenseDeployment>
{
    /// <inheritdoc/>
    protected override string Subject => "license deployment";

    internal override Task<IReadOnlyList<CustomerLicenseDeployment>> FetchAsync(
        PartnerConnection connection, Guid customerId, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        connection.Client.GetCustomerLicenseDeploymentAsync(customerId, operation, cancellationToken);
}
