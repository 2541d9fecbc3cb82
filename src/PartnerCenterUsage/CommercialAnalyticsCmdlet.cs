using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage;

/// <summary>
/// What the cmdlets over Partner Center's commercial analytics (per-customer rows of the whole portfolio) share: the
/// filter parameters, -GroupBy, -ProcessedDateTime, and a streaming read of the pages. Values of one filter parameter
/// are OR'd, parameters AND'd, and sent to the service; a parameter with a PowerShell wildcard in any of its values is
/// not sent but matched here, case-insensitively, as Get-Process -Name does. The pages stream as every paged report's
/// do (<see cref="PagedListingCmdlet"/>). Ids given or piped in (ids, Get-PCCustomer | ..., rows) are collected; the engine's
/// <see cref="CommercialPlan"/> asks for them in batches and merges the groups of several batches.
/// </summary>
public abstract class CommercialAnalyticsCmdlet : PagedListingCmdlet
{
    private readonly List<Guid> _customerIds = new();

    /// <summary>
    /// Only these customers (their ids, the API's customerTenantId). Binds from the pipeline (ids as GUIDs or strings),
    /// and from a CustomerId or Id property (Get-PCCustomer's customers, rows); an input that binds no id ($null, a row
    /// of -GroupBy without its customer, text that is no GUID) is an error of its own, never a customer with no rows.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    [Alias("Id")]
    [ArgumentCompleter(typeof(CustomerIdCompleter))]
    public Guid[]? CustomerId { get; set; }

    /// <summary>Only these customers, by company name; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CustomerName { get; set; }

    /// <summary>Only these products, by id; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ProductId { get; set; }

    /// <summary>Only these products, by name; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ProductName { get; set; }

    /// <summary>Only these service codes; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ServiceCode { get; set; }

    /// <summary>Only these services, by name; wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ServiceName { get; set; }

    /// <summary>Only these sales channels (reseller, direct...); wildcards allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Channel { get; set; }

    /// <summary>A filter in the API's own syntax (field eq 'value' and ...), AND'd with the other filters.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>The data of this processing date (the day counts, not the time); the latest when not given.</summary>
    [Parameter]
    public DateTimeOffset ProcessedDateTime { get; set; }

    /// <summary>The fields to group on, named as the output properties spell them (validated by the parameter).</summary>
    private protected abstract string[]? GroupByNames { get; }

    /// <summary>What the rows are, for progress and messages: "license usage".</summary>
    private protected abstract string Subject { get; }

    /// <summary>The type name of grouped rows, which their own view shows.</summary>
    private protected abstract string GroupedTypeName { get; }

    /// <summary>The report the rows are of.</summary>
    private protected abstract CommercialReport Report();

    /// <summary>Opens the listing of <paramref name="query"/>.</summary>
    private protected abstract IPartnerCenterPager Open(PartnerConnection connection, CommercialQuery query, PartnerCenterOperation operation);

    /// <summary>
    /// Checks what the parameters ask before any input is read or request sent: a wildcard that is not a pattern, a
    /// -Filter that could break out of its group, a wildcard on a field grouped away each stop the command here, before
    /// a command upstream (Get-PCCustomer | ...) has listed anything. The plan itself is made again in EndProcessing:
    /// a cmdlet keeps no engine type in a field.
    /// </summary>
    protected override void BeginProcessing()
    {
        NewPlan();

        // Ids typed on the command line count even when what is piped in binds to nothing (each such input is an
        // error of PowerShell's, and no ProcessRecord).
        if (CustomerId is not null)
        {
            _customerIds.AddRange(CustomerId);
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (CustomerId is not null)
        {
            _customerIds.AddRange(CustomerId);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var connection = RequireConnection();
        var plan = NewPlan();

        // Ids given or piped in, even none (a Get-PCCustomer that found nobody), select customers: no ids, no rows.
        if (_customerIds.Count > 0 || MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(CustomerId)))
        {
            plan.ForCustomers(_customerIds);
        }

        var queries = plan.Queries();
        if (queries.Count == 0)
        {
            return;
        }

        var operation = NewOperation();
        var merger = plan.NewMerger();
        var grouped = plan.GroupBy.Count > 0;
        bool Write(object row)
        {
            WriteObject(grouped ? Grouped(row) : row);
            return true;
        }

        foreach (var query in queries)
        {
            var pager = Open(connection, query, operation);
            if (!StreamPages(pager, Subject, query.FilterText(), row => merger.Take(row) is { } now && Write(now)))
            {
                return;
            }
        }

        // Groups that spanned requests, summed by the merger, come once all their rows are in.
        foreach (var row in merger.Merged)
        {
            WriteObject(Grouped(row));
        }

        CompleteProgress(Subject);
    }

    /// <summary>
    /// The plan of what the parameters ask, but the customers: the filters (sent, or matched here when they have
    /// wildcards), -Filter, -GroupBy and -ProcessedDateTime. Input the plan cannot take is a terminating error.
    /// </summary>
    private CommercialPlan NewPlan()
    {
        var plan = new CommercialPlan(Report());
        try
        {
            plan.Filter = Filter;
        }
        catch (CommercialFilterException e)
        {
            ThrowTerminatingError(ErrorRecords.InvalidFilter(e));
        }

        foreach (var name in GroupByNames ?? Array.Empty<string>())
        {
            plan.GroupOn((CommercialField)Enum.Parse(typeof(CommercialField), name, ignoreCase: true));
        }

        // Each filter parameter is named as the field it filters, so the engine's list of fields finds them (a test
        // holds every cmdlet to it); the ids, bound as GUIDs, select customers in EndProcessing.
        foreach (var field in plan.FilterFields)
        {
            if (!MyInvocation.BoundParameters.TryGetValue(field.ToString(), out var bound) || bound is not string[] { Length: > 0 } values)
            {
                continue;
            }

            if (values.Any(WildcardPattern.ContainsWildcardCharacters))
            {
                Wildcards.Require(this, field.ToString(), values);
                var matchers = values.Select(v => new Matcher(v)).ToArray();
                plan.WhereMatches(field, value => matchers.Any(m => m.IsMatch(value)));
            }
            else
            {
                // An escaped wildcard character (`[) is the character itself.
                plan.Where(field, values.Select(WildcardPattern.Unescape));
            }
        }

        if (plan.FieldsGroupedAway is { Count: > 0 } unmatchable)
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                $"-GroupBy {string.Join(",", plan.GroupBy)} gives rows without {string.Join(", ", unmatchable)}, so a wildcard cannot be matched on it. " +
                $"Add {string.Join(", ", unmatchable)} to -GroupBy, or give the whole value (no wildcard), which the service filters on.",
                GroupByNames));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(ProcessedDateTime)))
        {
            // A processing date is a date: the day as the value reads on its own clock (a row's ProcessedDateTime,
            // '2026-11-01', Get-Date), not shifted to UTC first.
            plan.ProcessedDateTime = new DateTimeOffset(ProcessedDateTime.Date.Ticks, TimeSpan.Zero);
        }

        return plan;
    }

    /// <summary>A value with wildcards, matched as PowerShell does; the value as written matches too ('Contoso [EU]').</summary>
    private sealed class Matcher(string text)
    {
        private readonly WildcardPattern _pattern = Wildcards.Pattern(text);

        public bool IsMatch(string value) => _pattern.IsMatch(value) || string.Equals(value, text, StringComparison.OrdinalIgnoreCase);
    }

    private PSObject Grouped(object row)
    {
        var wrapped = new PSObject(row);
        wrapped.TypeNames.Insert(0, GroupedTypeName);
        return wrapped;
    }
}
