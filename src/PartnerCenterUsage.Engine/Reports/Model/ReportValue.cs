using System;

namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>
/// One value of the report: its value now (the period the report shows) and, for a report that compares, its value in
/// a baseline period and the change between them. Unknown stays unknown: a value no row knew is null, never 0, and a
/// change is known only when both values are (known minus known).
/// </summary>
/// <remarks>
/// Counts are held as doubles so that one type carries counts and percentages alike; whole numbers up to 2^53 are held
/// exactly, far beyond any license count. Unknown is held as NaN, which is no known value either, so that a value
/// takes 24 bytes: a report holds one for every cell of its tables.
/// </remarks>
public readonly struct ReportValue : IEquatable<ReportValue>
{
    private readonly double _current;
    private readonly double _baseline;

    private ReportValue(ReportValueKind kind, double? current, double? baseline, bool hasBaseline)
    {
        Kind = kind;
        _current = current ?? double.NaN;
        _baseline = baseline ?? double.NaN;
        HasBaseline = hasBaseline;
    }

    /// <summary>What the value measures.</summary>
    public ReportValueKind Kind { get; }

    /// <summary>The value now; null when unknown.</summary>
    public double? Current => double.IsNaN(_current) ? null : _current;

    /// <summary>Whether the value has a baseline period, known or not.</summary>
    public bool HasBaseline { get; }

    /// <summary>The value in the baseline period; null when there is none or it is unknown.</summary>
    public double? Baseline => double.IsNaN(_baseline) ? null : _baseline;

    /// <summary>
    /// <see cref="Current"/> minus <see cref="Baseline"/> (for a percentage, in percentage points); null unless both are
    /// known.
    /// </summary>
    public double? Change => HasBaseline && Current is { } current && Baseline is { } baseline ? current - baseline : null;

    /// <summary>A count now, with no baseline.</summary>
    public static ReportValue Count(long? current) => new(ReportValueKind.Count, current, null, hasBaseline: false);

    /// <summary>A count now and in the baseline period.</summary>
    public static ReportValue Count(long? current, long? baseline) => new(ReportValueKind.Count, current, baseline, hasBaseline: true);

    /// <summary>A percentage now, with no baseline.</summary>
    public static ReportValue Percent(double? current) => new(ReportValueKind.Percent, current, null, hasBaseline: false);

    /// <summary>A percentage now and in the baseline period.</summary>
    public static ReportValue Percent(double? current, double? baseline) => new(ReportValueKind.Percent, current, baseline, hasBaseline: true);

    /// <summary>A change of a count (now minus the baseline); null when either is unknown.</summary>
    public static ReportValue CountChange(long? change) => new(ReportValueKind.CountChange, change, null, hasBaseline: false);

    /// <summary>A change of a percentage, in points; null when either is unknown.</summary>
    public static ReportValue PercentChange(double? change) => new(ReportValueKind.PercentChange, change, null, hasBaseline: false);

    /// <summary>Whether two values are alike.</summary>
    public static bool operator ==(ReportValue left, ReportValue right) => left.Equals(right);

    /// <summary>Whether two values differ.</summary>
    public static bool operator !=(ReportValue left, ReportValue right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ReportValue other) =>
        Kind == other.Kind && Current == other.Current && HasBaseline == other.HasBaseline && Baseline == other.Baseline;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReportValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Kind;
            hash = (hash * 397) ^ Current.GetHashCode();
            hash = (hash * 397) ^ HasBaseline.GetHashCode();
            return (hash * 397) ^ Baseline.GetHashCode();
        }
    }
}
