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
    private string? _filter;

    /// <summary>The fields of <paramref name="report"/>'s rows: usage has the workload fields, deployment does not.</summary>
    public static IReadOnlyList<CommercialField> FieldsOf(CommercialReport report) => CommercialReportFields.Of(report).Fields;

    /// <summary>The API's name of <paramref name="field"/>.</summary>
    public static string ApiName(CommercialField field) => CommercialReportFields.ApiName(field);

    /// <summary>The conditions so far: each field with the values it may have.</summary>
    public IReadOnlyList<KeyValuePair<CommercialField, IReadOnlyList<string>>> Conditions => _conditions;

    /// <summary>A raw API filter (<c>field eq 'value' and ...</c>), AND'd with the conditions; null for none.</summary>
    /// <exception cref="CommercialFilterException">Its parentheses or quotes do not pair up (<see cref="CheckFilter"/>).</exception>
    public string? Filter
    {
        get => _filter;
        set
        {
            CheckFilter(value);
            _filter = value;
        }
    }

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

    /// <summary>
    /// Refuses a raw filter that could break out of the group <see cref="FilterText"/> puts it in: read as the service
    /// reads a filter (a value in single quotes, a quote inside it doubled), every parenthesis outside the values must
    /// close one the filter opened, and every one it opens must be closed, so that <c>a eq 'x') or (a ne 'x'</c> cannot
    /// turn <c>customer and (filter)</c> into <c>(customer and a eq 'x') or (a ne 'x')</c>, every row. A value that does
    /// not end, or a double quote outside the values (which the service might read as a quote the check does not see),
    /// is refused too. A parenthesis inside a value (<c>'a)b'</c>) is part of the value.
    /// </summary>
    /// <exception cref="CommercialFilterException">The filter is refused; its message says where and why.</exception>
    public static void CheckFilter(string? filter)
    {
        if (filter is null)
        {
            return;
        }

        var opened = new List<int>();
        var quote = -1;
        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (quote >= 0)
            {
                if (c == '\'')
                {
                    if (i + 1 < filter.Length && filter[i + 1] == '\'')
                    {
                        // A doubled quote is a quote of the value, which goes on.
                        i++;
                    }
                    else
                    {
                        quote = -1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    quote = i;
                    break;
                case '"':
                    throw Refused(filter, i, "has a double quote outside a quoted value, which the service could read as a quote of its own: values are written in single quotes ('value')");
                case '(':
                    opened.Add(i);
                    break;
                case ')' when opened.Count == 0:
                    throw Refused(filter, i, "closes a parenthesis it did not open, which would end the group it is AND'd in: the other conditions would not apply to what follows");
                case ')':
                    opened.RemoveAt(opened.Count - 1);
                    break;
            }
        }

        if (quote >= 0)
        {
            throw Refused(filter, quote, "has a quoted value that does not end: a quote inside a value is written twice ('O''Brien')");
        }

        if (opened.Count > 0)
        {
            throw Refused(filter, opened[0], "opens a parenthesis it does not close");
        }
    }

    private static CommercialFilterException Refused(string filter, int position, string problem) =>
        new(string.Format(CultureInfo.InvariantCulture, "The filter {0}. At character {1}: {2}", problem, position + 1, Excerpt(filter, position)), filter, position);

    /// <summary>The filter around <paramref name="position"/>, the character at fault between brackets.</summary>
    private static string Excerpt(string filter, int position)
    {
        const int Around = 20;
        var start = Math.Max(0, position - Around);
        var end = Math.Min(filter.Length, position + 1 + Around);
        return (start > 0 ? "..." : string.Empty) + filter.Substring(start, position - start) + "[" + filter[position] + "]"
            + filter.Substring(position + 1, end - position - 1) + (end < filter.Length ? "..." : string.Empty);
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
