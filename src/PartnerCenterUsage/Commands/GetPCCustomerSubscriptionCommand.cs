using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Subscriptions;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Commands;

/// <summary>
/// Gets the subscriptions of Partner Center customers, legacy and New Commerce: the offer, the seats, the status, the
/// term and when it ends or renews, auto-renew, trial, and the seats that can still be removed for a refund or are
/// scheduled away for the next term. Deleted subscriptions are left out unless asked for. Several customers at once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerSubscription")]
[OutputType(typeof(CustomerSubscription))]
public sealed class GetPCCustomerSubscriptionCommand : PerCustomerCmdlet
{
    private DateTimeOffset _now;
    private int? _renewingWithinDays;

    /// <summary>
    /// Only the subscriptions of these statuses (any case). Without it every status comes but deleted, unknown and
    /// undocumented ones too; with it a subscription whose status is unknown does not.
    /// </summary>
    [Parameter]
    [ValidateSet("active", "pending", "suspended", "expired", "disabled", "deleted", "none")]
    public string[] Status { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Only the subscriptions whose term ends from now to this many days from now (0 to 3650): renewing then, or ending
    /// when auto-renew is off (add -AutoRenewOnly for those that renew). One whose term end is unknown, or that never
    /// ends, does not come. Now is the connection's clock.
    /// </summary>
    [Parameter]
    [ValidateRange(0, SubscriptionFilter.MaxRenewingWithinDays)]
    public int RenewingWithinDays { get; set; }

    /// <summary>Only the subscriptions that renew at the end of their term; one whose auto-renew is unknown does not come.</summary>
    [Parameter]
    public SwitchParameter AutoRenewOnly { get; set; }

    /// <summary>Leaves out trials; a subscription Partner Center does not say is a trial or not still comes.</summary>
    [Parameter]
    public SwitchParameter ExcludeTrial { get; set; }

    /// <summary>Also the deleted subscriptions (on top of those of -Status, if given); -Status deleted says the same.</summary>
    [Parameter]
    public SwitchParameter IncludeDeleted { get; set; }

    /// <inheritdoc/>
    protected override string Subject => "subscriptions";

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _renewingWithinDays = MyInvocation.BoundParameters.ContainsKey(nameof(RenewingWithinDays)) ? RenewingWithinDays : null;

        // One now for every customer of the run, so that "within 30 days" means the same days for all of them.
        _now = RequireConnection().UtcNow;
    }

    internal override async Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken)
    {
        var rows = await connection.Client.GetCustomerSubscriptionsAsync(customerId, operation, cancellationToken, companyName).ConfigureAwait(false);
        return Filter().Apply(rows, _now).Cast<object>().ToList();
    }

    // Made where it is used (on any thread, from what BeginProcessing read), not kept in a field: a field of an engine
    // type would load the engine with the cmdlet types, before the module's initializer can make it loadable.
    private SubscriptionFilter Filter() => new()
    {
        Statuses = Status,
        RenewingWithinDays = _renewingWithinDays,
        AutoRenewOnly = AutoRenewOnly,
        ExcludeTrial = ExcludeTrial,
        IncludeDeleted = IncludeDeleted,
    };
}
