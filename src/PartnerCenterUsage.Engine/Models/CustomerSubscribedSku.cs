using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace PartnerCenterUsage.Models;

/// <summary>
/// One SKU a customer subscribes to, with its units now (live counts from the customer's tenant, not an analytics
/// snapshot): how many there are, how many are assigned, how many are free to assign. Flat, for Export-Csv: the
/// product SKU's fields are properties of their own, and the service plans read as text in a CSV cell.
/// A value Partner Center did not send is null (empty), never a made-up 0.
/// </summary>
public sealed class CustomerSubscribedSku
{
    private long? _availableUnits;

    /// <summary>The customer's id, taken from the request (the answer does not carry it).</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The customer's name, as the input gave it (a customer piped from Get-PCCustomer); the answer does not carry it.</summary>
    public string? CustomerName { get; set; }

    /// <summary>The SKU's id (productSku.id).</summary>
    public string? SkuId { get; set; }

    /// <summary>The SKU's part number, as Microsoft Entra ID and Microsoft Graph name it (ENTERPRISEPACK, say).</summary>
    public string? SkuPartNumber { get; set; }

    /// <summary>The product's name (productSku.name).</summary>
    public string? ProductName { get; set; }

    /// <summary>What the SKU is assigned to: User, Company...</summary>
    public string? TargetType { get; set; }

    /// <summary>The license group: Group1 (managed by Microsoft Entra ID) or Group2.</summary>
    public string? LicenseGroupId { get; set; }

    /// <summary>Units the customer has, in every state.</summary>
    public long? TotalUnits { get; set; }

    /// <summary>Units assigned to users.</summary>
    public long? ConsumedUnits { get; set; }

    /// <summary>
    /// Units free to assign: as Partner Center sent it, or <see cref="TotalUnits"/> − <see cref="ConsumedUnits"/>
    /// when it sent none; empty when neither is known.
    /// </summary>
    public long? AvailableUnits
    {
        get => _availableUnits ?? TotalUnits - ConsumedUnits;
        set => _availableUnits = value;
    }

    /// <summary>Units active (usable).</summary>
    public long? ActiveUnits { get; set; }

    /// <summary>Units suspended.</summary>
    public long? SuspendedUnits { get; set; }

    /// <summary>Units in warning (the subscription has expired and is in its grace period).</summary>
    public long? WarningUnits { get; set; }

    /// <summary>The SKU's state: Enabled, Suspended, Warning...</summary>
    public string? CapabilityStatus { get; set; }

    /// <summary>
    /// The service plans of the SKU. In a CSV cell (Export-Csv and ConvertTo-Csv call ToString) it reads as
    /// <see cref="ServicePlanNames"/>; PowerShell's own conversion of a list to text ("$list", [string]) joins the
    /// items with spaces instead, which is why ServicePlanNames exists.
    /// </summary>
    public CustomerServicePlans ServicePlans { get; set; } = new(new List<CustomerServicePlan>());

    /// <summary>The service plans' names, each with its state when it is not Success, separated by "; ".</summary>
    public string ServicePlanNames => ServicePlans.ToString();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}: {1} ({2} of {3} available)", CustomerId, SkuPartNumber ?? ProductName, AvailableUnits, TotalUnits);
}

/// <summary>The service plans of a SKU: a list, whose ToString (what a CSV cell holds) is a line of text.</summary>
public sealed class CustomerServicePlans : ReadOnlyCollection<CustomerServicePlan>
{
    /// <summary>Creates the list.</summary>
    public CustomerServicePlans(IList<CustomerServicePlan> plans)
        : base(plans)
    {
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join("; ", this.Select(p => p.ToString()));
}

/// <summary>One service plan of a subscribed SKU (Exchange Online, SharePoint...).</summary>
public sealed class CustomerServicePlan
{
    /// <summary>The plan's id.</summary>
    public string? Id { get; set; }

    /// <summary>The plan's display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The plan's service name (EXCHANGE_S_ENTERPRISE, say).</summary>
    public string? ServiceName { get; set; }

    /// <summary>The plan's state: Success, Disabled, PendingActivation...</summary>
    public string? CapabilityStatus { get; set; }

    /// <summary>What the plan is assigned to.</summary>
    public string? TargetType { get; set; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var name = DisplayName ?? ServiceName ?? Id ?? "?";
        return CapabilityStatus is null || string.Equals(CapabilityStatus, "Success", StringComparison.OrdinalIgnoreCase)
            ? name
            : name + " (" + CapabilityStatus + ")";
    }
}
