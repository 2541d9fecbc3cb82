using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// The counts of one customer, workload or product kept apart by processed day (UTC), so that rows of different days
/// are never summed until the report decides which days it shows. Nearly always there is one day, held without a list.
/// </summary>
internal sealed class DailyCounts
{
    private readonly string _name;
    private DateTime? _firstDay;
    private CountAggregate? _first;
    private List<KeyValuePair<DateTime?, CountAggregate>>? _more;

    public DailyCounts(string name) => _name = name;

    /// <summary>The latest processed day of these rows; null when none carries a processed date.</summary>
    public DateTime? LatestDay { get; private set; }

    /// <summary>Whether the rows carry more than one processed day (the rows without a date not counted as one).</summary>
    public bool HasEarlierDays { get; private set; }

    /// <summary>The counts of <paramref name="day"/> (null: the rows without a processed date), created when first asked for.</summary>
    public CountAggregate For(DateTime? day)
    {
        if (_first is null)
        {
            _firstDay = day;
            Note(day);
            return _first = new CountAggregate(_name);
        }

        if (_firstDay == day)
        {
            return _first;
        }

        _more ??= new List<KeyValuePair<DateTime?, CountAggregate>>(1);
        foreach (var entry in _more)
        {
            if (entry.Key == day)
            {
                return entry.Value;
            }
        }

        Note(day);
        var counts = new CountAggregate(_name);
        _more.Add(new KeyValuePair<DateTime?, CountAggregate>(day, counts));
        return counts;
    }

    /// <summary>Whether some of these rows are of <paramref name="day"/>.</summary>
    public bool Has(DateTime day)
    {
        foreach (var entry in Days())
        {
            if (entry.Key == day)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each day and its counts, in the order first seen.</summary>
    public IEnumerable<KeyValuePair<DateTime?, CountAggregate>> Days()
    {
        if (_first is null)
        {
            yield break;
        }

        yield return new KeyValuePair<DateTime?, CountAggregate>(_firstDay, _first);
        if (_more is not null)
        {
            foreach (var entry in _more)
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// The counts of the rows of <paramref name="latestDay"/> and of the rows without a date (never left out), summed;
    /// null when there are none. With one day shown, its own counts, not a copy. A customer's own latest day is what
    /// its figures show: its earlier days are an earlier state of the same licenses.
    /// </summary>
    public CountAggregate? ShownAsOf(DateTime? latestDay)
    {
        CountAggregate? shown = null;
        var copied = false;
        foreach (var day in Days())
        {
            if (day.Key is { } date && date != latestDay)
            {
                continue;
            }

            if (shown is null)
            {
                shown = day.Value;
                continue;
            }

            if (!copied)
            {
                var sum = new CountAggregate(_name);
                sum.Add(shown);
                shown = sum;
                copied = true;
            }

            shown.Add(day.Value);
        }

        return shown;
    }

    private void Note(DateTime? day)
    {
        if (day is not { } date)
        {
            return;
        }

        if (LatestDay is { } latest)
        {
            HasEarlierDays = true;
            if (date <= latest)
            {
                return;
            }
        }

        LatestDay = date;
    }
}
