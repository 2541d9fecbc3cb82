using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// What to ask the commercial analytics for: conditions on fields (the values of one field OR'd, the fields AND'd), a
/// raw API filter AND'd with them, fields to group on, and the processing date. Turned into the API's <c>filter</c>,
/// <c>groupby</c> and <c>processedDateTime</c> here and nowhere else.
/// </summary>
public sealed class CommercialQuery
{
    private readonly List<KeyValuePair<CommercialField, IReadOnlyList<string>>> _conditions = new();

    /// <summary>The fields of <paramref name="report"/>'s rows: usage has the workload fields, deployment does not.</summary>
    public static IReadOnlyList<CommercialField> FieldsOf(CommercialReport report) => CommercialReportFields.Of(report).Fields;

    /// <summary>The API's name of <paramref name="field"/>.</summary>
    public static string ApiName(CommercialField field) => CommercialReportFields.ApiName(field);

    /// <summary>The conditions so far: each field with the values it may have.</summary>
    public IReadOnlyList<KeyValuePair<CommercialField, IReadOnlyList<string>>> Conditions => _conditions;

    /// <summary>A raw API filter (<c>field eq 'value' and ...</c>), AND'd with the conditions; null for none.</summary>
    public string? Filter { get; set; }

    /// <summary>The fields to group on; empty for per-customer rows.</summary>
    public IList<CommercialField> GroupBy { get; } = new List<CommercialField>();

    /// <summary>The data of that processing date; null for the latest.</summary>
    public DateTimeOffset? ProcessedDateTime { get; set; }

    /// <summary>Rows whose <paramref name="field"/> equals one of <paramref name="anyOf"/> (compared by the service).</summary>
    public CommercialQuery Where(CommercialField field, IEnumerable<string> anyOf)
    {
        var values = (anyOf ?? throw new ArgumentNullException(nameof(anyOf))).ToList();
        if (values.Count == 0)
        {
            throw new ArgumentException("A condition needs at least one value.", nameof(anyOf));
        }

        _conditions.Add(new KeyValuePair<CommercialField, IReadOnlyList<string>>(field, values));
        return this;
    }

    /// <summary>
    /// The API filter: <c>(a eq 'x' or a eq 'y') and b eq 'z' and (raw)</c>, single quotes inside a value doubled;
    /// null when there is nothing to filter on.
    /// </summary>
    public string? FilterText()
    {
        var parts = new List<string>();
        foreach (var condition in _conditions)
        {
            var name = ApiName(condition.Key);
            var terms = condition.Value.Select(v => $"{name} eq '{v.Replace("'", "''")}'").ToList();
            parts.Add(terms.Count == 1 || _conditions.Count + (string.IsNullOrWhiteSpace(Filter) ? 0 : 1) == 1
                ? string.Join(" or ", terms)
                : "(" + string.Join(" or ", terms) + ")");
        }

        if (!string.IsNullOrWhiteSpace(Filter))
        {
            parts.Add(parts.Count == 0 ? Filter!.Trim() : "(" + Filter!.Trim() + ")");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    /// <summary>Checks that <paramref name="report"/>'s rows can be filtered and grouped on the fields used.</summary>
    /// <exception cref="ArgumentException">A workload field on a deployment query.</exception>
    internal void Validate(CommercialReport report)
    {
        var fields = CommercialReportFields.Of(report);
        var wrong = _conditions.Select(c => c.Key).Where(f => !fields.Filterable.Contains(f))
            .Concat(GroupBy.Where(f => !fields.Groupable.Contains(f))).Distinct().ToList();
        if (wrong.Count > 0)
        {
            throw new ArgumentException($"The {report.ToString().ToLowerInvariant()} rows have no {string.Join(", ", wrong)}.");
        }
    }

    /// <summary>The query string of the first page: <c>top</c>, then filter, groupby and processedDateTime as set.</summary>
    internal string ToQueryString(int top)
    {
        var query = new StringBuilder("top=").Append(top.ToString(CultureInfo.InvariantCulture));
        if (FilterText() is { } filter)
        {
            query.Append("&filter=").Append(Uri.EscapeDataString(filter));
        }

        if (GroupBy.Count > 0)
        {
            query.Append("&groupby=").Append(Uri.EscapeDataString(string.Join(",", GroupBy.Distinct().Select(ApiName))));
        }

        if (ProcessedDateTime is { } processed)
        {
            query.Append("&processedDateTime=").Append(Uri.EscapeDataString(processed.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }

        return query.ToString();
    }
}
