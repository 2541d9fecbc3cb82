using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// How one command asks a commercial report for what it wants: the requests (<see cref="Queries"/>) and the
/// <see cref="CommercialRowMerger"/> that makes its output from their rows. Customer ids are sent as a filter,
/// <see cref="CustomerIdsPerRequest"/> per request; grouped rows of several such requests are merged into one row per
/// group, since the service groups each request on its own. Conditions are sent to the service (<see cref="Where"/>)
/// or matched on the rows here (<see cref="WhereMatches"/>, for patterns the API's filter cannot express).
/// </summary>
public sealed class CommercialPlan
{
    /// <summary>Customer ids per request: each id adds about 60 characters to the URL.</summary>
    public const int CustomerIdsPerRequest = 40;

    private readonly CommercialReportFields _fields;
    private readonly List<KeyValuePair<CommercialField, IReadOnlyList<string>>> _sent = new();
    private readonly List<KeyValuePair<CommercialField, Func<string, bool>>> _matched = new();
    private readonly List<CommercialField> _groupBy = new();
    private readonly HashSet<Guid> _seen = new();
    private List<Guid>? _customers;
    private string? _filter;

    /// <summary>A plan for the rows of <paramref name="report"/>: the whole portfolio, per customer, until told otherwise.</summary>
    public CommercialPlan(CommercialReport report)
    {
        _fields = CommercialReportFields.Of(report);
    }

    /// <summary>The report asked.</summary>
    public CommercialReport Report => _fields.Report;

    /// <summary>The fields of the report's rows that conditions may name, in the API's order.</summary>
    public IReadOnlyList<CommercialField> FilterFields => _fields.Filterable;

    /// <summary>The fields the report's rows may be grouped on, in the API's order.</summary>
    public IReadOnlyList<CommercialField> GroupFields => _fields.Groupable;

    /// <summary>A raw API filter, AND'd with the conditions; null for none.</summary>
    /// <exception cref="CommercialFilterException">One that could break out of its group (<see cref="CommercialQuery.CheckFilter"/>): refused when set, before any query is made.</exception>
    public string? Filter
    {
        get => _filter;
        set
        {
            CommercialQuery.CheckFilter(value);
            _filter = value;
        }
    }

    /// <summary>The data of that processing date; null for the latest.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>The fields grouped on, each once, in the order given; empty for per-customer rows.</summary>
    public IReadOnlyList<CommercialField> GroupBy => _groupBy;

    /// <summary>
    /// The fields that have a condition matched here but are grouped away: grouped rows have no value for them, so no
    /// row could match. <see cref="Queries"/> refuses such a plan.
    /// </summary>
    public IReadOnlyList<CommercialField> FieldsGroupedAway =>
        _groupBy.Count == 0 ? Array.Empty<CommercialField>() : _matched.Select(m => m.Key).Where(f => !_groupBy.Contains(f)).Distinct().ToList();

    /// <summary>Groups the rows on <paramref name="field"/> too (a field given twice counts once).</summary>
    /// <exception cref="ArgumentException">The report's rows cannot be grouped on it.</exception>
    public CommercialPlan GroupOn(CommercialField field)
    {
        Require(field, _fields.Groupable, "grouped on");
        if (!_groupBy.Contains(field))
        {
            _groupBy.Add(field);
        }

        return this;
    }

    /// <summary>Rows whose <paramref name="field"/> equals one of <paramref name="anyOf"/>, compared by the service.</summary>
    /// <exception cref="ArgumentException">No values, or a field the report cannot filter on.</exception>
    public CommercialPlan Where(CommercialField field, IEnumerable<string> anyOf)
    {
        Require(field, _fields.Filterable, "filtered on");
        var values = (anyOf ?? throw new ArgumentNullException(nameof(anyOf))).ToList();
        if (values.Count == 0)
        {
            throw new ArgumentException("A condition needs at least one value.", nameof(anyOf));
        }

        _sent.Add(new KeyValuePair<CommercialField, IReadOnlyList<string>>(field, values));
        return this;
    }

    /// <summary>
    /// Rows whose <paramref name="field"/> is known and satisfies <paramref name="isMatch"/>, matched here on the rows
    /// as they come (a wildcard, which the API's filter cannot express); not sent.
    /// </summary>
    /// <exception cref="ArgumentException">A field the report cannot filter on.</exception>
    public CommercialPlan WhereMatches(CommercialField field, Func<string, bool> isMatch)
    {
        Require(field, _fields.Filterable, "filtered on");
        _matched.Add(new KeyValuePair<CommercialField, Func<string, bool>>(field, isMatch ?? throw new ArgumentNullException(nameof(isMatch))));
        return this;
    }

    /// <summary>
    /// Only the rows of these customers, each asked for once. An empty list selects nobody: no requests, no rows (a
    /// customer listing that found nobody must not turn into the whole portfolio).
    /// </summary>
    public CommercialPlan ForCustomers(IEnumerable<Guid> customerIds)
    {
        _customers ??= new List<Guid>();
        foreach (var id in customerIds ?? throw new ArgumentNullException(nameof(customerIds)))
        {
            if (_seen.Add(id))
            {
                _customers.Add(id);
            }
        }

        return this;
    }

    /// <summary>
    /// The requests, in order: one for the whole portfolio, or one per <see cref="CustomerIdsPerRequest"/> customers
    /// in the order given; none when the customers selected are none.
    /// </summary>
    /// <exception cref="InvalidOperationException">A condition matched here is on a field grouped away (<see cref="FieldsGroupedAway"/>).</exception>
    public IReadOnlyList<CommercialQuery> Queries()
    {
        if (FieldsGroupedAway is { Count: > 0 } away)
        {
            throw new InvalidOperationException($"Rows grouped on {string.Join(", ", _groupBy)} have no {string.Join(", ", away)} to match.");
        }

        if (_customers is null)
        {
            return new[] { Query(null) };
        }

        var queries = new List<CommercialQuery>();
        for (var start = 0; start < _customers.Count; start += CustomerIdsPerRequest)
        {
            queries.Add(Query(_customers.Skip(start).Take(CustomerIdsPerRequest)));
        }

        return queries;
    }

    /// <summary>
    /// A merger for one run of <see cref="Queries"/>: it leaves out the rows the conditions matched here reject and,
    /// when grouped rows come from more than one request, holds them back to merge each group into one row.
    /// </summary>
    public CommercialRowMerger NewMerger() =>
        new(_fields, _matched.ToList(), _groupBy.ToList(), merge: _groupBy.Count > 0 && _customers is { Count: > CustomerIdsPerRequest });

    private CommercialQuery Query(IEnumerable<Guid>? customers)
    {
        var query = new CommercialQuery { Filter = Filter, ProcessedDateTime = ProcessedDateTime };
        if (customers is not null)
        {
            // In upper case, as the documentation's filter example and every documented row write a tenant id: whether the
            // service compares them ignoring case is not documented.
            query.Where(CommercialField.CustomerId, customers.Select(id => id.ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant()));
        }

        foreach (var condition in _sent)
        {
            query.Where(condition.Key, condition.Value);
        }

        foreach (var field in _groupBy)
        {
            query.GroupBy.Add(field);
        }

        return query;
    }

    private void Require(CommercialField field, IReadOnlyList<CommercialField> allowed, string what)
    {
        if (!allowed.Contains(field))
        {
            throw new ArgumentException($"The {Report.ToString().ToLowerInvariant()} rows cannot be {what} {field}.", nameof(field));
        }
    }
}
