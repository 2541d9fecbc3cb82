using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the license usage of every customer of the partner in a few requests (10,000 rows each), from Partner
/// Center's commercial analytics: the same rows Get-PCCustomerLicenseUsage gets one customer at a time.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCLicenseUsage")]
[OutputType(typeof(CustomerLicenseUsage))]
public sealed class GetPCLicenseUsageCommand : CommercialAnalyticsCmdlet
{
    /// <summary>The type name of grouped rows (-GroupBy), whose view shows the group and the summed counts.</summary>
    public const string GroupedType = "PartnerCenterUsage.Models.CustomerLicenseUsage#Grouped";

    /// <summary>Only these workload codes; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? WorkloadCode { get; set; }

    /// <summary>Only these workloads, by name (Exchange, SharePoint...); wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? WorkloadName { get; set; }

    /// <summary>Rows summed over everything but these properties: one row per distinct combination of them.</summary>
    /// <remarks>An attribute takes constants only: a test holds this set to the engine's fields of the report.</remarks>
    [Parameter]
    [ValidateSet("CustomerId", "CustomerName", "ProductId", "ProductName", "ServiceCode", "ServiceName", "WorkloadCode", "WorkloadName", "Channel", IgnoreCase = true)]
    public string[]? GroupBy { get; set; }

    private protected override string[]? GroupByNames => GroupBy;

    private protected override string Subject => "license usage";

    private protected override string GroupedTypeName => GroupedType;

    private protected override CommercialReport Report() => CommercialReport.Usage;

    private protected override IPartnerCenterPager Open(PartnerConnection connection, CommercialQuery query, PartnerCenterOperation operation) =>
        connection.Client.ListLicenseUsage(query, operation);
}
