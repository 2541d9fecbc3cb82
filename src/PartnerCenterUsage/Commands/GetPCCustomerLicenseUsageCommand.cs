using System;
using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>Gets the license usage of Partner Center customers, one object per product workload.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerLicenseUsage")]
[OutputType(typeof(CustomerLicenseUsage))]
public sealed class GetPCCustomerLicenseUsageCommand : PartnerCenterCmdlet
{
    private PartnerConnection _connection = null!;
    private PartnerCenterOperation _operation = null!;

    /// <summary>The customer ids (GUIDs). Binds from the pipeline, and from a CustomerId or Id property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public Guid[] CustomerId { get; set; } = Array.Empty<Guid>();

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _connection = RequireConnection();
        _operation = NewOperation();
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var customerId in CustomerId)
        {
            try
            {
                var rows = Await(_connection.Client.GetCustomerLicenseUsageAsync(customerId, _operation, CancellationToken));
                WriteObject(rows, enumerateCollection: true);
            }
            catch (PartnerCenterException ex)
            {
                WriteEngineError(ex, customerId, $"Getting the license usage of customer {customerId}");
            }
            catch (OperationCanceledException) when (Stopping)
            {
                return;
            }
        }
    }
}
