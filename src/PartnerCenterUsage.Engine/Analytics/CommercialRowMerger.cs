using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// Makes a command's output from the rows of a <see cref="CommercialPlan"/>'s requests as they stream in: a row the
/// conditions matched here reject is left out; any other is passed on at once, unless grouped rows come from several
/// requests, when each group's rows are summed into the first of them and given once, at the end
/// (<see cref="Merged"/>). Not thread-safe: one command's pipeline feeds it.
/// </summary>
public sealed class CommercialRowMerger
{
    // Joins and stands for unknown values in a group's key; neither occurs in the text of a field.
    private const string Separator = "\u001f";
    private const string Unknown = "\u0000";

    private readonly CommercialReportFields _fields;
    private readonly IReadOnlyList<KeyValuePair<CommercialField, Func<string, bool>>> _matched;
    private readonly IReadOnlyList<CommercialField> _groupBy;
    private readonly Dictionary<string, object>? _groups;
    private readonly List<object> _merged = new();

    internal CommercialRowMerger(
        CommercialReportFields fields, IReadOnlyList<KeyValuePair<CommercialField, Func<string, bool>>> matched, IReadOnlyList<CommercialField> groupBy, bool merge)
    {
        _fields = fields;
        _matched = matched;
        _groupBy = groupBy;
        _groups = merge ? new Dictionary<string, object>(StringComparer.Ordinal) : null;
    }

    /// <summary>The groups merged so far, one row each, in the order their first rows came; empty when nothing is merged.</summary>
    public IReadOnlyList<object> Merged => _merged;

    /// <summary>
    /// Takes the next row: returns it when it is to be written now, or null when it is left out or held to be merged.
    /// </summary>
    public object? Take(object row)
    {
        if (row is null)
        {
            throw new ArgumentNullException(nameof(row));
        }

        foreach (var condition in _matched)
        {
            if (_fields.ValueOf(row, condition.Key) is not { } value || !condition.Value(value))
            {
                return null;
            }
        }

        if (_groups is null)
        {
            return row;
        }

        var key = Key(row);
        if (_groups.TryGetValue(key, out var total))
        {
            _fields.AddTo(total, row);
        }
        else
        {
            _groups[key] = row;
            _merged.Add(row);
        }

        return null;
    }

    private string Key(object row)
    {
        if (_groupBy.Count == 1)
        {
            return _fields.ValueOf(row, _groupBy[0]) ?? Unknown;
        }

        var values = new string[_groupBy.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _fields.ValueOf(row, _groupBy[i]) ?? Unknown;
        }

        return string.Join(Separator, values);
    }
}
