using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Reductions;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Answers "which seats can we cut, for which customer, before which date": per customer and product, the seats paid
/// for, assigned, active and free (Partner Center's analytics) joined with the subscriptions that carry them, and what
/// can be cut now (return windows) or at the next renewal. Over the whole portfolio, or the customers piped in.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCLicenseReduction")]
[OutputType(typeof(CustomerLicenseReduction))]
public sealed class GetPCLicenseReductionCommand : CustomerFanOutCmdlet
{
    private LicenseReductionReader _reader = null!;
    private bool _anyCustomer;

    /// <summary>
    /// The customers (GUIDs); every customer the analytics count when none is given. Binds from the pipeline, and from a
    /// CustomerId or Id property.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    [Alias("Id")]
    [ArgumentCompleter(typeof(CustomerIdCompleter))]
    public Guid[] CustomerId { get; set; } = Array.Empty<Guid>();

    /// <summary>
    /// The name of the customer piped in (its CompanyName or CustomerName property), for rows the analytics do not
    /// name. Pipeline input only, as for the per-customer cmdlets.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CompanyName", "CustomerName")]
    public string? InputCustomerName { get; set; }

    /// <summary>The catalog country the SKUs of New Commerce subscriptions are looked up in (two letters; US unless given).</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z]{2}$")]
    public string Country { get; set; } = LicenseReductionReader.DefaultCountry;

    /// <inheritdoc/>
    protected override string Subject => "license reductions";

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        RefuseTypedInputCustomerName(nameof(InputCustomerName), InputCustomerName);
        base.BeginProcessing();
        _reader = new LicenseReductionReader(Connection, Country, Operation, CancellationToken);

        // -CustomerId typed, even empty (a filter that matched nobody), names the customers: never the whole portfolio.
        _anyCustomer = MyInvocation.BoundParameters.ContainsKey(nameof(CustomerId));
        if (!MyInvocation.ExpectingInput && CustomerId.Length > 0)
        {
            ExpectCustomers(CustomerId.Length);
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        EnqueueInput(CustomerId, InputCustomerName);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        // No customer given, typed or piped: every customer the analytics count, in their order.
        if (!_anyCustomer && !MyInvocation.ExpectingInput)
        {
            IReadOnlyList<(Guid CustomerId, string? CustomerName)> customers;
            try
            {
                customers = Await(_reader.GetAnalyticsCustomersAsync());
            }
            catch (PartnerCenterException ex)
            {
                WriteEngineError(ex, null, "Reading the portfolio's license analytics");
                return;
            }

            ExpectCustomers(customers.Count);
            if (customers.Any(customer => !Enqueue(customer.CustomerId, customer.CustomerName)))
            {
                return;
            }
        }

        base.EndProcessing();
    }

    /// <inheritdoc/>
    protected override string? FailsTheRun(PartnerCenterException error) =>
        _reader.IsAnalyticsFailure(error) ? "Reading the portfolio's license analytics" : null;

    internal override async Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken) =>
        await _reader.GetCustomerAsync(customerId, companyName, cancellationToken).ConfigureAwait(false);
}
