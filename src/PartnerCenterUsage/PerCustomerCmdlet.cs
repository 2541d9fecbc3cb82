using System;
using System.Management.Automation;

namespace PartnerCenterUsage;

/// <summary>
/// A cmdlet about each of several customers given by -CustomerId, bound from the pipeline by value and by property
/// name (CustomerId, Id), with the piped customer's name in -InputCustomerName; fetched by the shared fan-out
/// (<see cref="CustomerFanOutCmdlet"/>). A cmdlet is then its own parameters, one engine call per customer and its
/// output type.
/// </summary>
/// <remarks>
/// Not generic on purpose: a public cmdlet deriving from PerCustomerCmdlet&lt;CustomerLicenseUsage&gt; would name an
/// engine type in its base type, and Import-Module, which reads the exported types before the module's initializer
/// can make the engine loadable, would have to load the engine then (and fail outside a process that has it on its
/// load path). Engine types appear only in members, which load when a command runs.
/// </remarks>
public abstract class PerCustomerCmdlet : CustomerFanOutCmdlet
{
    /// <summary>The customer ids (GUIDs). Binds from the pipeline, and from a CustomerId or Id property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(CustomerIdCompleter))]
    public Guid[] CustomerId { get; set; } = Array.Empty<Guid>();

    /// <summary>
    /// The name of the customer piped in, bound from the input's CompanyName (a customer of Get-PCCustomer) or
    /// CustomerName (a row) property and put on the rows whose answer names no customer, so that a row's name comes with
    /// its input and never from what the session saw before. Pipeline input only: typed on the command line it would
    /// name every customer alike (and -CustomerName reads as the filter of Get-PCLicenseUsage), so it is refused there.
    /// Not hidden: PowerShell leaves the common parameters out of Tab completion for a command with a hidden parameter.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CompanyName", "CustomerName")]
    public string? InputCustomerName { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        RefuseTypedInputCustomerName(nameof(InputCustomerName), InputCustomerName);
        base.BeginProcessing();
        if (!MyInvocation.ExpectingInput)
        {
            ExpectCustomers(CustomerId.Length);
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord() => EnqueueInput(CustomerId, InputCustomerName);
}
