using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the license deployment of every customer of the partner (licenses sold, assigned and unassigned per product)
/// in a few requests, from Partner Center's commercial analytics.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCLicenseDeployment")]
[OutputType(typeof(CustomerLicenseDeployment))]
public sealed class GetPCLicenseDeploymentCommand : CommercialAnalyticsCmdlet
{
    /// <summary>The type name of grouped rows (-GroupBy), whose view shows the group and the summed counts.</summary>
    public const string GroupedType = "PartnerCenterUsage.Models.CustomerLicenseDeployment#Grouped";

    /// <summary>Rows summed over everything but these properties: one row per distinct combination of them.</summary>
    /// <remarks>An attribute takes constants only: a test holds this set to the engine's fields of the report.</remarks>
    [Parameter]
    [ValidateSet("CustomerId", "CustomerName", "ProductId", "ProductName", "ServiceCode", "ServiceName", "Channel", IgnoreCase = true)]
    public string[]? GroupBy { get; set; }

    private protected override string[]? GroupByNames => GroupBy;

    private protected override string Subject => "license deployment";

    private protected override string GroupedTypeName => GroupedType;

    private protected override CommercialReport Report() => CommercialReport.Deployment;

    private protected override IPartnerCenterPager Open(PartnerConnection connection, CommercialQuery query, PartnerCenterOperation operation) =>
        connection.Client.ListLicenseDeployment(query, operation);
}
