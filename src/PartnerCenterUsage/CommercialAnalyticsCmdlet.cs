using System;
using System.Collections.Generic;
using System.Globalization;
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
/// do (<see cref="PagedListingCmdlet"/>). Ids piped in (Get-PCCustomer | ...) are collected and asked for in batches.
/// </summary>
public abstract class CommercialAnalyticsCmdlet : PagedListingCmdlet
{
    /// <summary>Customer ids per request: each id adds about 60 characters to the URL.</summary>
    private const int CustomerIdsPerRequest = 40;

    private readonly List<Guid> _customerIds = new();

    /// <summary>Only these customers (their ids, the API's customerTenantId). Binds from a CustomerId or Id property.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
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

    /// <summary>The filter parameters of the cmdlet with the field each filters; null values when not given.</summary>
    private protected virtual IEnumerable<KeyValuePair<CommercialField, string[]?>> FieldFilters()
    {
        yield return new(CommercialField.CustomerName, CustomerName);
        yield return new(CommercialField.ProductId, ProductId);
        yield return new(CommercialField.ProductName, ProductName);
        yield return new(CommercialField.ServiceCode, ServiceCode);
        yield return new(CommercialField.ServiceName, ServiceName);
        yield return new(CommercialField.Channel, Channel);
    }

    /// <summary>Opens the listing of <paramref name="query"/>.</summary>
    private protected abstract IPartnerCenterPager Open(PartnerConnection connection, CommercialQuery query, PartnerCenterOperation operation);

    /// <summary>The value of <paramref name="field"/> in <paramref name="row"/>, for matching wildcards here.</summary>
    private protected abstract string? FieldValue(object row, CommercialField field);

    /// <summary>Adds the counts of <paramref name="row"/> to <paramref name="total"/>, a row of the same group.</summary>
    private protected abstract void AddTo(object total, object row);

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
        var groupBy = (GroupByNames ?? Array.Empty<string>())
            .Select(name => (CommercialField)Enum.Parse(typeof(CommercialField), name, ignoreCase: true)).Distinct().ToList();
        var local = new List<KeyValuePair<CommercialField, Matcher[]>>();
        var sent = new List<KeyValuePair<CommercialField, string[]>>();
        foreach (var filter in FieldFilters())
        {
            if (filter.Value is not { Length: > 0 } values)
            {
                continue;
            }

            if (values.Any(WildcardPattern.ContainsWildcardCharacters))
            {
                local.Add(new(filter.Key, values.Select(v => new Matcher(v)).ToArray()));
            }
            else
            {
                // An escaped wildcard character (`[) is the character itself.
                sent.Add(new(filter.Key, values.Select(WildcardPattern.Unescape).ToArray()));
            }
        }

        // Grouped rows carry only the grouped fields: a wildcard on another field could match nothing.
        var unmatchable = groupBy.Count == 0 ? null : local.Select(l => l.Key).Where(f => !groupBy.Contains(f)).ToList();
        if (unmatchable is { Count: > 0 })
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                $"-GroupBy {string.Join(",", groupBy)} gives rows without {string.Join(", ", unmatchable)}, so a wildcard cannot be matched on it. " +
                $"Add {string.Join(", ", unmatchable)} to -GroupBy, or give the whole value (no wildcard), which the service filters on.",
                GroupByNames));
        }

        // Ids given or piped in, even none (a Get-PCCustomer that found nobody), select customers: no ids, no rows.
        if (_customerIds.Count == 0 && (MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(CustomerId))))
        {
            return;
        }

        var operation = NewOperation();
        var batches = _customerIds.Count == 0
            ? new List<Guid[]?> { null }
            : _customerIds.Distinct().Select((id, i) => (id, i)).GroupBy(x => x.i / CustomerIdsPerRequest, x => x.id).Select(g => (Guid[]?)g.ToArray()).ToList();

        // The service groups each batch of ids on its own: groups that span batches are summed here, then written.
        var merged = groupBy.Count > 0 && batches.Count > 1 ? new Dictionary<string, object>(StringComparer.Ordinal) : null;
        var order = new List<string>();

        // True when the row is written now; rows of a group that spans batches are written at the end.
        bool Emit(object row)
        {
            if (merged is null)
            {
                WriteObject(groupBy.Count > 0 ? Grouped(row) : row);
                return true;
            }

            var key = string.Join("\u001f", groupBy.Select(f => FieldValue(row, f) ?? "\u0000"));
            if (merged.TryGetValue(key, out var total))
            {
                AddTo(total, row);
            }
            else
            {
                merged[key] = row;
                order.Add(key);
            }

            return false;
        }

        foreach (var batch in batches)
        {
            var query = new CommercialQuery { Filter = Filter };
            if (batch is not null)
            {
                query.Where(CommercialField.CustomerId, batch.Select(id => id.ToString("D", CultureInfo.InvariantCulture)));
            }

            foreach (var condition in sent)
            {
                query.Where(condition.Key, condition.Value);
            }

            foreach (var field in groupBy)
            {
                query.GroupBy.Add(field);
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(ProcessedDateTime)))
            {
                // A processing date is a date: the day as the value reads on its own clock (a row's ProcessedDateTime,
                // '2026-11-01', Get-Date), not shifted to UTC first.
                query.ProcessedDateTime = new DateTimeOffset(ProcessedDateTime.Date.Ticks, TimeSpan.Zero);
            }

            var pager = Open(connection, query, operation);
            var streamed = StreamPages(pager, Subject, query.FilterText(), row =>
                local.All(l => FieldValue(row, l.Key) is { } value && l.Value.Any(m => m.IsMatch(value))) && Emit(row));
            if (!streamed)
            {
                return;
            }
        }

        foreach (var key in order)
        {
            WriteObject(Grouped(merged![key]));
        }

        CompleteProgress(Subject);
    }

    /// <summary>A value with wildcards, matched as PowerShell does; the value as written matches too ('Contoso [EU]').</summary>
    private sealed class Matcher(string text)
    {
        private readonly WildcardPattern _pattern = WildcardPattern.Get(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

        public bool IsMatch(string value) => _pattern.IsMatch(value) || string.Equals(value, text, StringComparison.OrdinalIgnoreCase);
    }

    private PSObject Grouped(object row)
    {
        var wrapped = new PSObject(row);
        wrapped.TypeNames.Insert(0, GroupedTypeName);
        return wrapped;
    }
}
