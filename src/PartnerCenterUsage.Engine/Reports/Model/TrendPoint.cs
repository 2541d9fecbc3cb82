using System;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>One point of a <see cref="TrendSeries"/>: a report (a baseline, or this one) and its value of the figure.</summary>
public sealed class TrendPoint
{
    /// <summary>A point of the report <paramref name="label"/>, as of <paramref name="asOf"/>.</summary>
    public TrendPoint(string label, DateTimeOffset? asOf, ReportValue value, bool isCurrent)
    {
        Label = label ?? throw new ArgumentNullException(nameof(label));
        AsOf = asOf;
        Value = value;
        IsCurrent = isCurrent;
    }

    /// <summary>The report's day, as the axis names it ("2026-10-01").</summary>
    public string Label { get; }

    /// <summary>The day the report's figures are of (its latest processed day, else when it was made).</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>The figure in that report; unknown when it had none.</summary>
    public ReportValue Value { get; }

    /// <summary>Whether the point is this report's (the last).</summary>
    public bool IsCurrent { get; }
}
